"""The optimised-delivery opportunity model: the six levers and the overlap rules.

The package loads each use case's module only when a name is first used, so that `careflow --help` and the
table-only commands start without numpy, pydantic or the renderers. The names are declared once, in
`__init__.pyi`, which type checkers read too.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
