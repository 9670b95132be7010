"""Claims, their evidence photos and the customer link."""

__all__: list[str] = []
