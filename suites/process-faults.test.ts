import { inject } from "vitest";
import { defineProcessFaultMatrix } from "./support/process-fault-matrix.js";

defineProcessFaultMatrix("default image:", () => inject("redisImage"));
