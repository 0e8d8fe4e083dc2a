#!/usr/bin/env python3
"""Checks Annals' graph exports with real consumers: NetworkX reads the GraphML, rdflib
parses the N-Triples and the Turtle (which must hold the same graph), and Python's csv
module reads the Neo4j bulk-import files (whose header syntax and references are checked
as neo4j-admin would). A second set of files, exported with filters, is checked against
the filters' rules. Usage:

    check_exports.py GRAPHML NTRIPLES TURTLE NEO4J_DIR \\
        --filtered KINDS SINCE UNTIL F_GRAPHML F_NTRIPLES F_TURTLE

where KINDS, SINCE and UNTIL are the --kinds, --since and --until the filtered files were
exported with. Exits 1 with a message on the first problem."""

import argparse
import calendar
import csv
import os
import sys
from collections import Counter

import networkx as nx
import rdflib
from rdflib.compare import isomorphic

EVIDENCE = rdflib.URIRef("urn:annals:schema#Evidence")


def fail(msg):
    print(f"check_exports: {msg}", file=sys.stderr)
    sys.exit(1)


def parse_rdf(path, fmt):
    g = rdflib.Graph()
    try:
        g.parse(path, format=fmt)
    except Exception as e:  # noqa: BLE001 - any parse error is a failed check
        fail(f"rdflib cannot parse {path} as {fmt}: {e}")
    return g


def signature(g):
    """The graph with blank nodes made anonymous: its ground triples, and for each blank
    node the multiset of its (predicate, object) pairs. Equal for isomorphic graphs; a
    cheap stand-in for rdflib's isomorphism test on large graphs."""
    ground = {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}
    blank = Counter()
    for s in {s for s in g.subjects() if isinstance(s, rdflib.BNode)}:
        pairs = frozenset(
            (p, "_" if isinstance(o, rdflib.BNode) else o) for p, o in g.predicate_objects(s)
        )
        blank[pairs] += 1
    return ground, blank


def same_graph(nt, ttl, exact):
    if len(nt) != len(ttl):
        fail(f"N-Triples has {len(nt)} triples, Turtle {len(ttl)}")
    if signature(nt) != signature(ttl):
        fail("Turtle and N-Triples hold different triples")
    if exact and not isomorphic(nt, ttl):
        fail("Turtle and N-Triples graphs are not isomorphic")


def days(iso):
    """First and last day an ISO value (YYYY, YYYY-MM, YYYY-MM-DD) covers, as strings."""
    parts = iso.split("-")
    if len(parts) == 1:
        return f"{iso}-01-01", f"{iso}-12-31"
    if len(parts) == 2:
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return f"{iso}-01", f"{iso}-{last:02d}"
    return iso, iso


def within(value, since, until):
    if not value:
        return False
    if "W" in value:  # ISO weeks: the Rust tests check those
        return True
    first, last = days(value)
    return days(since)[0] <= first and last <= days(until)[1]


def check_filtered(kinds, since, until, graphml, ntriples, turtle):
    g = nx.read_graphml(graphml)
    kinds = set(kinds.split(","))
    found = {d.get("kind") for _, d in g.nodes(data=True)}
    if not found or not found <= kinds:
        fail(f"filtered GraphML has kinds {found}, asked for {kinds}")
    for n, d in g.nodes(data=True):
        if d["kind"] in ("event", "quote", "date") and not within(d.get("date"), since, until):
            fail(f"filtered GraphML keeps {n} ({d['kind']}) dated {d.get('date')!r}")
        if d["kind"] in ("person", "group", "place"):
            near = {g.nodes[m]["kind"] for m in nx.all_neighbors(g, n)}
            if {"event", "quote"} <= kinds and not near & {"event", "quote"}:
                fail(f"filtered GraphML keeps {n} ({d['label']}), linked to no kept event or quote")
    nt, ttl = parse_rdf(ntriples, "nt"), parse_rdf(turtle, "turtle")
    same_graph(nt, ttl, exact=True)
    return g, nt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graphml")
    ap.add_argument("ntriples")
    ap.add_argument("turtle")
    ap.add_argument("neo")
    ap.add_argument("--filtered", nargs=6, metavar="X")
    args = ap.parse_args()

    g = nx.read_graphml(args.graphml)
    kinds = {d.get("kind") for _, d in g.nodes(data=True)}
    if g.number_of_nodes() == 0 or g.number_of_edges() == 0:
        fail("the GraphML graph is empty")
    if not {"person", "group", "place", "event"} <= kinds:
        fail(f"GraphML node kinds missing: {kinds}")
    rdf = parse_rdf(args.ntriples, "nt")
    evidence = list(rdf.subjects(rdflib.RDF.type, EVIDENCE))
    if len(rdf) == 0 or not evidence:
        fail("the N-Triples graph has no triples or no evidence nodes")
    ttl = parse_rdf(args.turtle, "turtle")
    same_graph(rdf, ttl, exact=False)
    with open(os.path.join(args.neo, "nodes.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if rows[0][0] != "id:ID" or rows[0][-1] != ":LABEL":
        fail(f"nodes.csv header {rows[0]}")
    ids = {r[0] for r in rows[1:]}
    with open(os.path.join(args.neo, "relationships.csv"), newline="", encoding="utf-8") as fh:
        rels = list(csv.reader(fh))
    if rels[0][:3] != [":START_ID", ":END_ID", ":TYPE"]:
        fail(f"relationships.csv header {rels[0]}")
    dangling = [r for r in rels[1:] if r[0] not in ids or r[1] not in ids]
    if dangling:
        fail(f"{len(dangling)} relationships name unknown nodes, e.g. {dangling[0]}")
    print(f"GraphML: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (networkx); "
          f"N-Triples: {len(rdf)} triples, {len(evidence)} evidence nodes (rdflib); "
          f"Turtle: the same {len(ttl)} triples (rdflib); "
          f"Neo4j CSV: {len(ids)} nodes, {len(rels) - 1} relationships")
    if args.filtered:
        fg, fnt = check_filtered(*args.filtered)
        if fg.number_of_nodes() >= g.number_of_nodes():
            fail("the filtered export is not smaller than the whole")
        print(f"Filtered (--kinds {args.filtered[0]} --since {args.filtered[1]} "
              f"--until {args.filtered[2]}): GraphML {fg.number_of_nodes()} nodes, "
              f"{fg.number_of_edges()} edges; N-Triples and Turtle the same "
              f"{len(fnt)} triples (isomorphic)")


if __name__ == "__main__":
    main()
