/**
 * test/e2e/fixtures/podFiles.ts on a folder laid out as the kubelet lays out pods' volumes: which files it finds,
 * and that a linked copy keeps what the pod wrote, and what it appends, after the kubelet deletes the pod's volumes.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { PodFileLinker, podVolumeFiles } from "../e2e/fixtures/podFiles";

describe("podFiles: files in pods' volumes under the kubelet's root", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pod-files-"));
    after(() => fs.rmSync(root, { recursive: true, force: true }));
    const volume = (uid: string, name: string) => {
        const dir = path.join(root, "pods", uid, "volumes", "kubernetes.io~empty-dir", name);
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    };
    const a = path.join(volume("uid-a", "tmp"), "sink.txt");
    fs.writeFileSync(a, "a1\n");
    volume("uid-a", "logs");
    const b = path.join(volume("uid-b", "tmp"), "sink.txt");
    fs.writeFileSync(b, "b1\n");
    fs.writeFileSync(path.join(volume("uid-c", "tmp"), "other.txt"), "c\n");

    test("podVolumeFiles finds the named file in each pod's volumes, or one pod's", () => {
        const all = podVolumeFiles(root, "sink.txt").sort((x, y) => x.file.localeCompare(y.file));
        assert.deepEqual(all, [
            { podUid: "uid-a", volume: "tmp", file: a },
            { podUid: "uid-b", volume: "tmp", file: b },
        ]);
        assert.deepEqual(podVolumeFiles(root, "sink.txt", "uid-b"), [{ podUid: "uid-b", volume: "tmp", file: b }]);
        assert.deepEqual(podVolumeFiles(root, "sink.txt", "uid-c"), []);
        assert.deepEqual(podVolumeFiles(path.join(root, "none"), "sink.txt"), []);
    });

    test("PodFileLinker's copies outlive the pod's volume and see later appends", () => {
        const linker = new PodFileLinker(root, "sink.txt");
        linker.link();
        assert.deepEqual(linker.errors, []);
        assert.deepEqual(
            linker
                .copies()
                .map((f) => path.basename(f))
                .sort(),
            ["uid-a-tmp", "uid-b-tmp"],
        );
        fs.appendFileSync(a, "a2\n");
        fs.rmSync(path.join(root, "pods", "uid-a"), { recursive: true });
        linker.link();
        const copyA = linker.copies().find((f) => path.basename(f) === "uid-a-tmp")!;
        assert.equal(fs.readFileSync(copyA, "utf8"), "a1\na2\n");
        assert.equal(linker.copies().length, 2);
    });
});
