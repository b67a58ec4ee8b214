import { MemoryReleaseStorage } from "../../../release/storage/index.js";
import { storageContract } from "./contract.js";

storageContract("memory", () => new MemoryReleaseStorage());
