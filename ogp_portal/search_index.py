"""A record's search words in a column of its own table, and the condition that searches it.

`SearchIndexField(title=[…], body=[…])` keeps the words (`ogp_portal.morphemes`) of the named
fields, computed each time the record is saved, as `auto_now` keeps a date. On PostgreSQL the
column is a `tsvector` (title words weighted A, body words B) with a GIN index; on SQLite it is
the text " title words \\n body words " searched with `instr`. Both hold the same words and
`Matches` asks the same question of either, so a search finds the same records on both.

The column is filled for rows written before it existed by `manage.py search_index`, which
also repairs rows changed by `QuerySet.update()` (which does not save records one by one).
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import NotSupportedError, models

from . import morphemes

# PostgreSQL keeps positions up to 16383 and at most 256 of them per word.
MAX_POSITION = 16383
MAX_POSITIONS = 256


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(value: str) -> str:
    """The stored words as a PostgreSQL tsvector literal: positions in order, title words
    weighted A, body words B, one position left empty between them so that no phrase spans
    the title and the body."""
    title, body = morphemes.title_and_body(value)
    positions: dict[str, list[str]] = {}
    for offset, words, weight in ((1, title, "A"), (len(title) + 2, body, "B")):
        for n, word in enumerate(words):
            held = positions.setdefault(word, [])
            if len(held) < MAX_POSITIONS:
                held.append(f"{min(offset + n, MAX_POSITION)}{weight}")
    return " ".join(f"{_lexeme(word)}:{','.join(held)}" for word, held in positions.items())


def tsquery(query: morphemes.Query, *, title: bool) -> str:
    weight = ":A" if title else ""
    return " & ".join(
        "( " + " <-> ".join(f"{_lexeme(word)}{weight}" for word in group) + " )"
        for group in query.groups
    )


class SearchIndexField(models.Field):
    description = "Search words of other fields"

    def __init__(self, *args, title=(), body=(), **kwargs):
        self.title, self.body = tuple(title), tuple(body)
        kwargs["null"], kwargs["blank"], kwargs["editable"] = True, True, False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "blank", "editable"):
            kwargs.pop(key, None)
        return name, path, args, {**kwargs, "title": list(self.title), "body": list(self.body)}

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def text(self, instance, names) -> str:
        return "\n".join(str(getattr(instance, name) or "") for name in names)

    def pre_save(self, model_instance, add):
        value = morphemes.document(
            title=self.text(model_instance, self.title), body=self.text(model_instance, self.body)
        )
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or connection.vendor != "postgresql":
            return value
        return tsvector(value)


class Matches(models.Expression):
    """True where the record's words hold every group of the query (in the title alone with
    `title=True`): a word as a whole word, a phrase as consecutive words."""

    output_field = models.BooleanField()

    def __init__(self, column: str, query: morphemes.Query, *, title: bool = False):
        super().__init__()
        self.column, self.query, self.title = models.F(column), query, title

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        raise NotSupportedError("Search runs on PostgreSQL or SQLite.")

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"({sql} @@ %s::tsquery)", (*params, tsquery(self.query, title=self.title))

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        if self.title:
            sql, params = f"substr({sql}, 1, instr({sql}, char(10)))", (*params, *params)
        tests, values = [], []
        for group in self.query.groups:
            tests.append(f"instr({sql}, %s) > 0")
            values += [*params, f" {' '.join(group)} "]
        return "(" + " AND ".join(tests) + ")", values


class AddSearchIndexConcurrently(AddIndexConcurrently):
    """The GIN index of a search column, built without locking writes (PostgreSQL; SQLite
    searches the column as text). Used in a non-atomic migration."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def search_index_rebuild(
    model: type[models.Model], *, missing: bool = False, batch: int = 500
) -> int:
    """Computes again the search words of every record of `model` (with `missing`, only of the
    records that have none yet, as after the migration that adds the column), in batches of
    one UPDATE each. Returns how many records were written."""
    fields = [f for f in model._meta.concrete_fields if isinstance(f, SearchIndexField)]
    names = [f.attname for f in fields]
    sources = {name for field in fields for name in (*field.title, *field.body)}
    rows = model._base_manager.only("pk", *sources).order_by("pk")
    if missing:
        absent = models.Q()
        for name in names:
            absent |= models.Q(**{f"{name}__isnull": True})
        rows = rows.filter(absent)
    written, pending = 0, []
    for record in rows.iterator(chunk_size=batch):
        for field in fields:
            field.pre_save(record, add=False)
        pending.append(record)
        if len(pending) == batch:
            written += model._base_manager.bulk_update(pending, names)
            pending = []
    if pending:
        written += model._base_manager.bulk_update(pending, names)
    return written


def indexed_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if any(isinstance(f, SearchIndexField) for f in model._meta.concrete_fields)
    ]
