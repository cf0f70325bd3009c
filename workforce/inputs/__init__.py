"""The input side: the workbook contract and everything that reads or writes it.

``schema`` (the contract as data) → ``reader`` (file → cells that remember where they came from)
→ ``cells`` (types, ranges, headers) → ``validate`` (cross-sheet checks → :class:`workforce.data.ModelData`);
``template`` writes blank and sample workbooks from the same schema; ``issues`` is how every
problem is reported to a workforce lead.
"""
