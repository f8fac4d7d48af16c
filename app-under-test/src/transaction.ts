import type { ChainableCommander } from "ioredis";

/** Runs a MULTI/EXEC and returns its replies; throws the first command error (EXEC does not roll back). */
export async function execTransaction(transaction: ChainableCommander): Promise<unknown[]> {
  const results = await transaction.exec();
  if (!results) throw new Error("transaction aborted by Redis (EXEC returned null)");
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
