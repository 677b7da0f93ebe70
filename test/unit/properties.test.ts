import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    escapePropertyKey,
    escapePropertyValue,
    formatProperties,
    parseProperties,
} from "../../components/render/properties";

describe("properties format", () => {
    it("sorts keys inside a section, keeps section order, and skips empty sections", () => {
        const text = formatProperties([
            { title: "B first", entries: { "z.key": "1", "a.key": "2" } },
            { title: "empty", entries: {} },
            { title: "A second", entries: { "m.key": "3" } },
        ]);
        assert.equal(text, "# B first\na.key=2\nz.key=1\n\n# A second\nm.key=3\n");
    });

    it("escapes what java.util.Properties would misread", () => {
        assert.equal(escapePropertyKey("a key=b:c"), "a\\ key\\=b\\:c");
        assert.equal(escapePropertyValue(" lead\\path\nnext"), "\\ lead\\\\path\\nnext");
        assert.equal(escapePropertyValue("a = b"), "a = b");
        // Properties.load(InputStream) reads ISO-8859-1: non-ASCII (here ü and a surrogate pair) and controls as
        // \uXXXX.
        assert.equal(escapePropertyValue("pässwörd\u0007😀"), "p\\u00e4ssw\\u00f6rd\\u0007\\ud83d\\ude00");
    });

    it("parses back exactly what it formats", () => {
        const entries = {
            "sasl.jaas.config":
                'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p=\\"q";',
            "ssl.truststore.certificates": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            " odd key": " value with lead",
            "rest.advertised.host.name": "${env:POD_IP}",
            "password.unicode": "grüße 😀",
        };
        assert.deepEqual(parseProperties(formatProperties([{ title: "t", entries }])), entries);
    });
});
