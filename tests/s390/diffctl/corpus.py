"""Loading the recorded corpora (plain or gzip-compressed JSON)."""

import gzip
import json
from pathlib import Path

HERE = Path(__file__).parent


def load(path):
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as f:
        return json.load(f)


def corpus_paths():
    return sorted(HERE.glob("corpus_*.json*"))
