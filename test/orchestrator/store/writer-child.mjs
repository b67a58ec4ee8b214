// Child process for the kill -9 durability test: opens the built embedded store on a data dir
// and writes keys with several writers at once, printing "ack KEY MODREVISION" only after each
// write's promise resolved. The test kills it at a random moment and checks every ack survived.
import { openEmbeddedStore } from "../../../dist/orchestrator/store/embedded/index.js";

const [dataDir, prefix, countText, writersText] = process.argv.slice(2);
const count = Number(countText);
const writers = Number(writersText);
const store = await openEmbeddedStore({ dataDir, snapshotEvery: 97 });
let next = 0;
async function writer() {
  while (next < count) {
    const i = next++;
    const kv = await store.create(`${prefix}${i}`, JSON.stringify({ i, pad: "x".repeat(i % 200) }));
    process.stdout.write(`ack ${kv.key} ${kv.modRevision}\n`);
  }
}
await Promise.all(Array.from({ length: writers }, writer));
await store.close();
process.stdout.write("done\n");
