"""The consultations' pages, one module per part of a poll's life."""
