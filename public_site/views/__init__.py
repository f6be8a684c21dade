"""The public page's views, one module per part of it."""
