import { fileURLToPath } from "node:url";

/** The project's root folder, wherever it was cloned to. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
