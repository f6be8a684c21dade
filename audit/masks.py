def hidden(value: str) -> str:
    """A secret's place in the audit trail: that it changed, never what it is."""
    return "••••••••"
