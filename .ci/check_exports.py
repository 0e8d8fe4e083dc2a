#!/usr/bin/env python3
"""Checks Annals' graph exports with real consumers: NetworkX reads the GraphML, rdflib
parses the N-Triples, and Python's csv module reads the Neo4j bulk-import files (whose
header syntax and references are checked as neo4j-admin would). Usage:

    check_exports.py GRAPHML NTRIPLES NEO4J_DIR

Exits 1 with a message on the first problem."""

import csv
import os
import sys

import networkx as nx
import rdflib


def fail(msg):
    print(f"check_exports: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    graphml, ntriples, neo = sys.argv[1:4]
    g = nx.read_graphml(graphml)
    kinds = {d.get("kind") for _, d in g.nodes(data=True)}
    if g.number_of_nodes() == 0 or g.number_of_edges() == 0:
        fail("the GraphML graph is empty")
    if not {"person", "group", "place", "event"} <= kinds:
        fail(f"GraphML node kinds missing: {kinds}")
    rdf = rdflib.Graph()
    rdf.parse(ntriples, format="nt")
    evidence = list(rdf.subjects(rdflib.RDF.type, rdflib.URIRef("urn:annals:schema#Evidence")))
    if len(rdf) == 0 or not evidence:
        fail("the N-Triples graph has no triples or no evidence nodes")
    with open(os.path.join(neo, "nodes.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if rows[0][0] != "id:ID" or rows[0][-1] != ":LABEL":
        fail(f"nodes.csv header {rows[0]}")
    ids = {r[0] for r in rows[1:]}
    with open(os.path.join(neo, "relationships.csv"), newline="", encoding="utf-8") as fh:
        rels = list(csv.reader(fh))
    if rels[0][:3] != [":START_ID", ":END_ID", ":TYPE"]:
        fail(f"relationships.csv header {rels[0]}")
    dangling = [r for r in rels[1:] if r[0] not in ids or r[1] not in ids]
    if dangling:
        fail(f"{len(dangling)} relationships name unknown nodes, e.g. {dangling[0]}")
    print(f"GraphML: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (networkx); "
          f"N-Triples: {len(rdf)} triples, {len(evidence)} evidence nodes (rdflib); "
          f"Neo4j CSV: {len(ids)} nodes, {len(rels) - 1} relationships")


if __name__ == "__main__":
    main()
