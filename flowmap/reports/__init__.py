"""Documents regulators and contracts ask for, built from the map and its assessment on a date.

``ropa`` (the Art. 30 record of processing activities) and ``annex`` (Annexes I and III of the 2021 SCCs).
Where the map lacks a fact the documents say so ("not recorded in the map") rather than fill it in.
"""
