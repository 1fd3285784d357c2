"""``python3 -m case_tracker.sample``: regenerate the shipped sample data after changing the
generator (``tests/test_sample_data.py`` fails until the file matches the generator again)."""

from __future__ import annotations

import sys

from case_tracker.sample.shipped import DATA_FILE, write


def main() -> int:
    path = write(DATA_FILE)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
