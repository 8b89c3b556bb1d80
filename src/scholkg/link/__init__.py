"""Linking the graph with external scholarly graphs (dblp, Wikidata, OpenAlex, another scholkg).

Pure parts: :mod:`.names` (are two printed names compatible?), :mod:`.titles` (normalised titles
and blocking keys), :mod:`.score` (how alike are two works?). Data: :mod:`.views` (a work or an
author as the matcher sees it, from either side), :mod:`.schemas` (the SPARQL that reads each
external vocabulary), :mod:`.targets` (files loaded into a cache store, or a SPARQL endpoint),
:mod:`.local` (our side, read from the store). Work: :mod:`.matcher` (candidates, scores, one
decision per pair), :mod:`.linkset` (links as RDF with VoID, review files, decisions),
:mod:`.enrich` (what linked records add), :mod:`.persons` (which of our persons look like one
person), :mod:`.run` (the whole job, as the CLI calls it).
"""
