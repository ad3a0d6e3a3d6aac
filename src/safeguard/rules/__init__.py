"""The statutory rules engine: order types, the statutory clock, offence codes, risk instruments.

Pure Python: nothing here imports Django, so the rules can be read, tested and reasoned about on
their own (DESIGN.md, Rules as data). Every rule cites its source in a comment or a `basis`.
"""
