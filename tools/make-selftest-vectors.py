#!/usr/bin/env python3
"""Extracts the `enigm selftest` vector sample from vectors/ (the vendored copy) into src/Enigm.Cli/SelfTestVectors.

The sample is fixed and reproducible: for every Wycheproof group the first 2 valid, 2 invalid and
1 acceptable cases; for every ACVP group the first 3 cases (prompt and expected results kept in step),
restricted to the parameter sets Enigm implements; X-Wing and composite files whole. Run it again
after the upstream files change:  python3 tools/make-selftest-vectors.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "vectors"
TARGET = ROOT / "src" / "Enigm.Cli" / "SelfTestVectors"

ACVP_SETS = {"ML-KEM-768", "ML-KEM-1024", "ML-DSA-65", "ML-DSA-87", "SLH-DSA-SHA2-128s", "SLH-DSA-SHA2-256s"}
WYCHEPROOF = [
    "aes_gcm_test.json", "aes_kwp_test.json", "chacha20_poly1305_test.json",
    "ecdsa_secp384r1_sha384_p1363_test.json", "ecdsa_secp384r1_sha384_test.json", "ed25519_test.json",
    "hkdf_sha256_test.json", "hkdf_sha512_test.json",
    "mldsa_65_sign_noseed_test.json", "mldsa_65_sign_seed_test.json", "mldsa_65_verify_test.json",
    "mldsa_87_sign_noseed_test.json", "mldsa_87_sign_seed_test.json", "mldsa_87_verify_test.json",
    "mlkem_1024_encaps_test.json", "mlkem_1024_keygen_seed_test.json", "mlkem_1024_semi_expanded_decaps_test.json",
    "mlkem_1024_test.json", "mlkem_768_encaps_test.json", "mlkem_768_keygen_seed_test.json",
    "mlkem_768_semi_expanded_decaps_test.json", "mlkem_768_test.json", "x25519_test.json",
]
ACVP = [
    "ML-KEM-keyGen-FIPS203", "ML-KEM-encapDecap-FIPS203", "ML-DSA-keyGen-FIPS204", "ML-DSA-sigGen-FIPS204",
    "ML-DSA-sigVer-FIPS204", "SLH-DSA-keyGen-FIPS205", "SLH-DSA-sigVer-FIPS205",
]
WHOLE = ["xwing/test-vectors.json", "composite/testvectors-subset.json"]


def write(relative, document):
    path = TARGET / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n")


def wycheproof(name):
    document = json.loads((SOURCE / "wycheproof" / name).read_text())
    for group in document["testGroups"]:
        kept, quota = [], {"valid": 2, "invalid": 2, "acceptable": 1}
        for case in group["tests"]:
            if quota.get(case["result"], 0) > 0:
                quota[case["result"]] -= 1
                kept.append(case)
        group["tests"] = kept
    document["numberOfTests"] = sum(len(g["tests"]) for g in document["testGroups"])
    write(f"wycheproof/{name}", document)


def acvp(folder):
    prompt = json.loads((SOURCE / "acvp" / folder / "prompt.json").read_text())
    expected = json.loads((SOURCE / "acvp" / folder / "expectedResults.json").read_text())
    keep = {}
    prompt["testGroups"] = [g for g in prompt["testGroups"] if g.get("parameterSet") in ACVP_SETS]
    for group in prompt["testGroups"]:
        group["tests"] = group["tests"][:3]
        keep[group["tgId"]] = {t["tcId"] for t in group["tests"]}
    expected["testGroups"] = [g for g in expected["testGroups"] if g["tgId"] in keep]
    for group in expected["testGroups"]:
        group["tests"] = [t for t in group["tests"] if t["tcId"] in keep[group["tgId"]]]
    write(f"acvp/{folder}/prompt.json", prompt)
    write(f"acvp/{folder}/expectedResults.json", expected)


def main():
    for name in WYCHEPROOF:
        wycheproof(name)
    for folder in ACVP:
        acvp(folder)
    for relative in WHOLE:
        write(relative, json.loads((SOURCE / relative).read_text()))
    total = sum(p.stat().st_size for p in TARGET.rglob("*.json"))
    print(f"wrote {TARGET} ({total // 1024} KiB)")


if __name__ == "__main__":
    main()
