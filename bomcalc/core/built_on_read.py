"""A dataclass field given as what its value is made from, made the first time it is read (core layer).

A :class:`~bomcalc.core.model.Bom`'s networkx graph and a :class:`~bomcalc.core.model.RawTable`'s
frame cost time to make and are often never read: a check reads the arrays, the cell checks read the
columns. Each can be given as its source (an object with a ``build()`` method); :class:`BuiltOnRead`
makes the value from it the first time the field is read, and keeps it.
"""

from __future__ import annotations


class BuiltOnRead:
    """The descriptor of field ``name``: a value of ``source_type`` given for it becomes ``value.build()``
    the first time it is read (and stays); any other value is returned as it is. Set on the class after
    the dataclass is made, so the field stays a field with no default."""

    def __init__(self, name: str, source_type: type):
        self.name, self.source_type = name, source_type

    def __get__(self, owner_object, owner=None):
        if owner_object is None:
            return self
        value = owner_object.__dict__[self.name]
        if isinstance(value, self.source_type):
            value = owner_object.__dict__[self.name] = value.build()
        return value

    def __set__(self, owner_object, value):
        owner_object.__dict__[self.name] = value
