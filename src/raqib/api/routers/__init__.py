"""API routers, one module per capability; thin: they validate, call the library and shape JSON."""

__all__: list[str] = []
