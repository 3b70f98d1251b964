import { userLimitStoreContract } from "../../test/contracts/user-limit-store-contract.js";
import { MemoryUserLimitStore } from "./memory-user-limit-store.js";

userLimitStoreContract("in memory", { create: async (windowMs) => new MemoryUserLimitStore({ windowMs }) });
