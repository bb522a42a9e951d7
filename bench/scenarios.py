"""Scenarios run by bench/run.py against the live portal; prints one JSON line."""

import json
import sys


def main(name: str, base_url: str, spec: dict) -> dict:
    raise SystemExit(f"unknown scenario {name}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))))
