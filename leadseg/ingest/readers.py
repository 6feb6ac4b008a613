"""Read one landing file into DuckDB relations of normalised text columns.

A reader never writes to the warehouse: it stages the file in temporary tables of the
connection it is given and returns, per target raw table, a ``SELECT`` that yields the
normalised data columns (all VARCHAR) plus ``_file_row_number``, and a ``SELECT`` of the
rows it had to quarantine. A writer (``writer.py``) turns those into rows of the target
database, so another writer (PostgreSQL ``COPY`` from the same relations fetched as Arrow)
can be added without touching the file reading.

How exact row numbers are obtained
----------------------------------
* Parquet: ``read_parquet(file_row_number=true)`` (+1, so 1-based).
* CSV: DuckDB's parallel ``read_csv`` keeps the file order, so ``row_number() OVER ()``
  numbers the accepted records. Records DuckDB rejects (``store_rejects``: ragged rows,
  bytes that are not UTF-8, over-long lines) are reported with their record ``line``;
  blank lines are skipped by DuckDB but still counted in ``line``, so they are found by a
  cheap byte scan of the (decompressed) file running in a thread next to DuckDB. The
  header, blank lines and rejected records are the "excluded slots"; the n-th accepted
  record sits in the n-th non-excluded slot (an ASOF join on a tiny table). The stored
  number is the slot minus the header: data record n, which is line n+1 of the file when
  no value contains a line break.
  Every row must have exactly as many fields as the header. DuckDB's strict mode lets a
  row through with surplus fields when they equal the NULL string (``a,b,c,`` under a
  three-column header), so the reader sets ``nullstr`` to a marker no export contains:
  empty surplus fields are then rejected like any other surplus field, and empty data
  values come back as ``''`` and are turned into NULL in the ``SELECT`` (as before, an
  empty and a quoted empty value are both NULL).
* JSON lines: the file is read as lines (``read_csv`` with one column, no quoting,
  non-strict and ``new_line='\\r\\n'``, which then accepts both LF and CRLF endings, so
  blank lines come back as NULL rows instead of being skipped); only lines
  DuckDB rejects (not UTF-8, too long) leave gaps, which are mapped the same way. The
  stored number is the physical line number.
"""

from __future__ import annotations

import csv
import io
import threading
import zlib
from dataclasses import dataclass, field

import duckdb

from leadseg.ingest.discover import SUPPORTED, LandingFile
from leadseg.ingest.errors import LandingFileError
from leadseg.ingest.naming import snake_case
from leadseg.schema import META_COLUMNS, SEGMENT_COMMON, RawTable

MAX_LINE_BYTES = 16 * 1024 * 1024
# DuckDB's NULL string for CSV data: never found in a real file, so that no field is
# read as NULL by DuckDB itself (see "How exact row numbers are obtained" above)
CSV_NO_NULL_MARKER = "\x1fleadseg: no null string\x1f"
RAW_RECORD_CHARS = 2000  # raw text kept per quarantined row
SEGMENT_TYPES = {
    "identify": "segment__identifies",
    "page": "segment__pages",
    "screen": "segment__pages",
    "track": "segment__tracks",
}
SEGMENT_UNROUTABLE = ("alias", "group")
SEGMENT_CONTAINERS = ("context", "properties", "traits")
# context objects flattened one more level (context.page.url -> context_page_url); other
# nested context values are kept as JSON text in context_<key>
CONTEXT_OBJECTS = (
    "page", "campaign", "library", "os", "device", "app", "location", "screen", "network",
    "traits", "referrer",
)  # fmt: skip


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@dataclass
class TargetRows:
    """Rows of one file for one raw table: ``sql`` yields ``columns`` + ``_file_row_number``."""

    relation: str
    columns: list[str]
    sql: str
    rows: int


@dataclass
class FileExtract:
    rows_read: int
    targets: list[TargetRows] = field(default_factory=list)
    quarantine_sql: str | None = None  # yields file_row_number, reason, raw_record
    rows_quarantined: int = 0
    warnings: list[str] = field(default_factory=list)
    temp_tables: list[str] = field(default_factory=list)

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        for name in self.temp_tables:
            con.execute(f"DROP TABLE IF EXISTS temp.{q(name)}")
        self.temp_tables.clear()


def _fail(lf: LandingFile, problem: str) -> LandingFileError:
    return LandingFileError(lf.rel_path, problem)


def _duckdb_problem(lf: LandingFile, exc: Exception) -> LandingFileError:
    """Turn a DuckDB read error into an actionable message (diagnosing gzip in Python)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if lf.compression == "gzip":
        gz_problem = check_gzip(lf)
        if gz_problem:
            return _fail(lf, gz_problem)
    if "GZIP" in text.upper():
        return _fail(lf, f"is not a complete gzip file ({text}); re-export or re-copy it")
    kind = {"csv": "CSV", "json": "newline-delimited JSON", "parquet": "Parquet"}.get(
        lf.file_format or "", "data"
    )
    return _fail(lf, f"cannot be read as {kind}: {text}")


def check_gzip(lf: LandingFile) -> str | None:
    """Python diagnosis of a gzip file: None when it decompresses completely."""
    dec = zlib.decompressobj(wbits=47)
    try:
        with open(lf.path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                dec.decompress(chunk)
                while dec.eof and dec.unused_data:  # multi-member gzip
                    rest = dec.unused_data
                    dec = zlib.decompressobj(wbits=47)
                    dec.decompress(rest)
    except zlib.error as exc:
        return f"is not valid gzip data ({exc}); re-export or re-copy it"
    if not dec.eof:
        return "is a truncated gzip file (the compressed stream ends early); re-copy it"
    return None


def _open_text_head(lf: LandingFile, limit: int = 1 << 20) -> bytes:
    """The first ``limit`` decompressed bytes (raises LandingFileError on bad gzip)."""
    with open(lf.path, "rb") as fh:
        raw = fh.read(limit if lf.compression == "none" else max(limit // 4, 65536))
    if lf.compression == "none":
        return raw
    try:
        return zlib.decompressobj(wbits=47).decompress(raw, limit)
    except zlib.error as exc:
        raise _fail(lf, f"is not valid gzip data ({exc}); re-export or re-copy it") from exc


# --------------------------------------------------------------------------- line scan


@dataclass
class LineScan:
    lines: int = 0  # physical lines
    blank_lines: list[int] = field(default_factory=list)  # 1-based numbers of empty lines
    error: str | None = None


def scan_lines(lf: LandingFile) -> LineScan:
    """Count physical lines and find empty ones, streaming (C-speed byte operations)."""
    result = LineScan()
    dec = zlib.decompressobj(wbits=47) if lf.compression == "gzip" else None
    newlines = 0
    prev = b""  # last two bytes of the previous chunk
    last = b""
    first = True
    try:
        with open(lf.path, "rb") as fh:
            while True:
                raw = fh.read(1 << 22)
                if not raw:
                    break
                data = raw
                if dec is not None:
                    data = dec.decompress(raw)
                    while dec.eof and dec.unused_data:
                        rest = dec.unused_data
                        dec = zlib.decompressobj(wbits=47)
                        data += dec.decompress(rest)
                if not data:
                    continue
                if first:
                    first = False
                    if data.startswith((b"\n", b"\r\n")):
                        result.blank_lines.append(1)
                buf = prev + data
                for pattern in (b"\n\n", b"\n\r\n"):
                    start = 0
                    while (pos := buf.find(pattern, start)) >= 0:
                        start = pos + 1
                        if pos + len(pattern) <= len(prev):
                            continue  # seen in the previous chunk already
                        # the blank line is the one after the newline at `pos`
                        before = newlines - prev.count(b"\n") + buf.count(b"\n", 0, pos + 1)
                        result.blank_lines.append(before + 1)
                newlines += data.count(b"\n")
                prev = buf[-2:]
                last = data[-1:]
    except (OSError, zlib.error) as exc:
        result.error = str(exc)
        return result
    if dec is not None and not dec.eof and not first:
        result.error = "truncated gzip"
    result.lines = newlines + (1 if last and last != b"\n" else 0)
    result.blank_lines = sorted(set(result.blank_lines))
    return result


# --------------------------------------------------------------------------- row numbers


@dataclass
class SlotMap:
    """Accepted record n (1-based, file order) sits in slot n + base + j(n), where j(n) is
    the ``j`` of the row with the largest ``t < n`` in ``table`` (none: 0)."""

    base: int = 0
    table: str | None = None


def _slot_map(
    con: duckdb.DuckDBPyConnection, excluded: list[int], name: str, extract: FileExtract
) -> SlotMap:
    """Map accepted-record ordinals to slots, given the excluded slots (1-based)."""
    pairs: dict[int, int] = {}
    for j, slot in enumerate(sorted(set(excluded)), start=1):
        pairs[slot - j] = j  # t = accepted records before this slot; keep the largest j
    result = SlotMap(base=pairs.pop(0, 0))  # a leading run (header, blank lines): constant
    if pairs:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {q(name)} (t BIGINT, j BIGINT)")
        con.executemany(
            f"INSERT INTO temp.{q(name)} VALUES (?, ?)",
            [(t, j - result.base) for t, j in pairs.items()],
        )
        extract.temp_tables.append(name)
        result.table = name
    return result


def _numbered(stage: str, slots: SlotMap, offset: int) -> str:
    """SELECT * plus _row (file row number) from a staged table with an _ord column."""
    shift = slots.base - offset
    if slots.table is None:
        return f"SELECT s.*, s._ord + {shift} AS _row FROM temp.{q(stage)} s"
    return (
        f"SELECT s.*, s._ord + coalesce(m.j, 0) + {shift} AS _row "
        f"FROM temp.{q(stage)} s ASOF LEFT JOIN temp.{q(slots.table)} m ON s._ord > m.t"
    )


def _check_required(lf: LandingFile, table: RawTable, columns: list[str], found: str) -> None:
    missing = [c for c in table.required if c not in columns]
    if missing:
        shown = ", ".join(columns[:30]) + (" …" if len(columns) > 30 else "")
        raise _fail(
            lf,
            f"missing required column {', '.join(repr(m) for m in missing)} for raw table "
            f"{table.relation} ({found}: {shown or 'none'}); the file is not loaded — fix the "
            "export so every record has an id",
        )


def _unique_names(lf: LandingFile, originals: list[str]) -> list[str]:
    names: list[str] = []
    seen: dict[str, str] = {}
    for i, original in enumerate(originals):
        name = snake_case(original) if original.strip() else f"column_{i + 1}"
        if name in META_COLUMNS:
            name = "source" + name
        if name in seen:
            raise _fail(
                lf,
                f"columns {seen[name]!r} and {original!r} both normalise to {name!r}; "
                "drop one of them from the export",
            )
        seen[name] = original
        names.append(name)
    return names


# --------------------------------------------------------------------------- CSV


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_csv(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, table: RawTable, tag: str
) -> FileExtract:
    head = _open_text_head(lf)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if not head.strip():
        if len(head) < 65536:
            return FileExtract(rows_read=0)  # empty or only blank lines
        raise _fail(lf, "has no CSV header row (only blank space at the start)")
    if b"\x00" in head[:4096]:
        raise _fail(lf, "is not a CSV file (it contains binary NUL bytes); check the export format")
    text = head.decode("utf-8", errors="replace")
    header_line = text.split("\n", 1)[0].rstrip("\r")
    delim = _sniff_delimiter(header_line)
    try:
        header = next(csv.reader(io.StringIO(header_line), delimiter=delim))
    except (csv.Error, StopIteration) as exc:
        raise _fail(lf, f"has no readable CSV header row ({exc})") from exc
    names = _unique_names(lf, header)
    _check_required(lf, table, names, "header has")

    # the byte scan (blank lines, line count) runs next to DuckDB
    scan_box: list[LineScan] = []
    scanner = threading.Thread(target=lambda: scan_box.append(scan_lines(lf)), daemon=True)
    scanner.start()

    stage, rejects, scans = f"_ingest_stage_{tag}", f"_ingest_rej_{tag}", f"_ingest_rejscan_{tag}"
    extract = FileExtract(rows_read=0)
    extract.temp_tables += [stage, rejects, scans]
    internal = {f"c{i}": "VARCHAR" for i in range(len(names))}
    columns_arg = "{" + ", ".join(f"{lit(k)}: 'VARCHAR'" for k in internal) + "}"
    sql = (
        f"CREATE OR REPLACE TEMP TABLE {q(stage)} AS "
        f"SELECT row_number() OVER () AS _ord, * FROM read_csv({lit(str(lf.path))}, "
        f"columns={columns_arg}, header=true, auto_detect=false, delim={lit(delim)}, "
        f"quote='\"', escape='\"', strict_mode=true, nullstr={lit(CSV_NO_NULL_MARKER)}, "
        f"compression={lit(lf.compression)}, "
        f"max_line_size={MAX_LINE_BYTES}, store_rejects=true, rejects_table={lit(rejects)}, "
        f"rejects_scan={lit(scans)}, rejects_limit=0)"
    )
    try:
        try:
            con.execute(sql)
        except duckdb.Error as exc:
            raise _duckdb_problem(lf, exc) from exc
    finally:
        scanner.join()
    scan = scan_box[0] if scan_box else LineScan(error="line scan did not finish")
    if scan.error:
        extract.drop(con)
        problem = check_gzip(lf) if lf.compression == "gzip" else None
        raise _fail(lf, problem or f"cannot be read: {scan.error}")

    accepted = con.execute(f"SELECT count(*) FROM temp.{q(stage)}").fetchone()[0]
    # one quarantine row per rejected record, with a reason a person understands
    qname = f"_ingest_q_{tag}"
    extract.temp_tables.append(qname)
    n_header = str(len(names))
    if not header[-1].strip() and len(header) > 1:
        # `a,b,c,` as the header: the unnamed last column is kept (as column_<n>), and
        # rows must end with the delimiter too
        n_header += (
            f" (the header line ends with a delimiter: its last column {names[-1]} has no name)"
        )
        extract.warnings.append(
            f"{lf.rel_path}: the header line ends with a delimiter; its unnamed last column "
            f"is loaded as {names[-1]}"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {q(qname)} AS
        WITH r AS (
            SELECT line,
                   list(DISTINCT CAST(error_type AS VARCHAR)) AS types,
                   -- DuckDB reports one error per missing / surplus field
                   min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT))
                       FILTER (WHERE CAST(error_type AS VARCHAR) = 'MISSING COLUMNS') AS found_min,
                   max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT))
                       FILTER (WHERE CAST(error_type AS VARCHAR) = 'TOO MANY COLUMNS') AS found_max,
                   any_value(csv_line) AS csv_line
            FROM temp.{q(rejects)} GROUP BY line
        )
        SELECT line AS slot,
               CASE
                 WHEN list_contains(types, 'INVALID ENCODING')
                      OR list_contains(types, 'INVALID UNICODE')
                   THEN 'row contains bytes that are not valid UTF-8 (shown as ? in raw_record); '
                        || 'export the file as UTF-8'
                 WHEN list_contains(types, 'TOO MANY COLUMNS')
                   THEN 'CSV row has ' || coalesce(CAST(found_max AS VARCHAR), 'more') ||
                        ' fields, header has {n_header}'
                 WHEN list_contains(types, 'MISSING COLUMNS')
                   THEN 'CSV row has ' || coalesce(CAST(found_min AS VARCHAR), 'fewer') ||
                        ' fields, header has {n_header}'
                 WHEN list_contains(types, 'LINE SIZE OVER MAXIMUM')
                   THEN 'CSV row is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB'
                 WHEN list_contains(types, 'UNQUOTED VALUE')
                   THEN 'CSV row has a quote character inside an unquoted value'
                 ELSE 'CSV row could not be parsed (' || array_to_string(types, ', ') || ')'
               END AS reason,
               left(ltrim(csv_line, chr(10) || chr(13)), {RAW_RECORD_CHARS}) AS raw_record
        FROM r
        """
    )
    reject_slots = [r[0] for r in con.execute(f"SELECT slot FROM temp.{q(qname)}").fetchall()]
    excluded = [1, *scan.blank_lines, *reject_slots]
    if accepted + len(set(excluded)) != scan.lines and scan.blank_lines:
        extract.warnings.append(
            f"{lf.rel_path}: the file has blank lines and values containing line breaks; "
            "_file_row_number counts records and may be off by the number of blank lines "
            "before a row"
        )
    slot_map = _slot_map(con, excluded, f"_ingest_map_{tag}", extract)
    extract.rows_read = accepted + len(reject_slots)
    extract.rows_quarantined = len(reject_slots)
    if reject_slots:
        extract.quarantine_sql = (
            f"SELECT slot - 1 AS file_row_number, reason, raw_record FROM temp.{q(qname)}"
        )
    select = ", ".join(f"nullif({q(f'c{i}')}, '') AS {q(n)}" for i, n in enumerate(names))
    extract.targets.append(
        TargetRows(
            table.relation,
            names,
            f"SELECT {select}, _row AS _file_row_number FROM ({_numbered(stage, slot_map, 1)})",
            accepted,
        )
    )
    return extract


# --------------------------------------------------------------------------- Parquet


def _parquet_expr(name: str, dtype: str) -> str:
    col = q(name)
    upper = dtype.upper()
    if upper == "VARCHAR":
        return col
    if upper.startswith("TIMESTAMP WITH TIME ZONE") or upper == "TIMESTAMPTZ":
        return f"replace(CAST(timezone('UTC', {col}) AS VARCHAR), ' ', 'T') || 'Z'"
    if upper.startswith("TIMESTAMP"):
        return f"replace(CAST(CAST({col} AS TIMESTAMP) AS VARCHAR), ' ', 'T')"
    if any(upper.startswith(k) for k in ("STRUCT", "MAP", "UNION")) or upper.endswith("]"):
        return f"CAST(to_json({col}) AS VARCHAR)"
    return f"CAST({col} AS VARCHAR)"


def read_parquet(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, table: RawTable, tag: str
) -> FileExtract:
    if lf.compression == "gzip":
        raise _fail(
            lf,
            "is a gzip-compressed Parquet file; Parquet compresses internally — land it as "
            "plain .parquet",
        )
    if lf.path.stat().st_size == 0:
        return FileExtract(rows_read=0)
    src = f"read_parquet({lit(str(lf.path))}, file_row_number=true)"
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
        rows = con.execute(f"SELECT count(*) FROM read_parquet({lit(str(lf.path))})").fetchone()[0]
    except duckdb.Error as exc:
        raise _duckdb_problem(lf, exc) from exc
    originals = [(r[0], r[1]) for r in schema if r[0] != "file_row_number"]
    names = _unique_names(lf, [o[0] for o in originals])
    _check_required(lf, table, names, "columns are")
    select = ", ".join(
        f"{_parquet_expr(o, t)} AS {q(n)}" for (o, t), n in zip(originals, names, strict=True)
    )
    extract = FileExtract(rows_read=rows)
    extract.targets.append(
        TargetRows(
            table.relation,
            names,
            f"SELECT {select}, file_row_number + 1 AS _file_row_number FROM {src}",
            rows,
        )
    )
    return extract


# --------------------------------------------------------------------------- JSON lines


def _json_path(*keys: str) -> str:
    return "$" + "".join("." + '"' + k + '"' for k in keys)


def _slug_sql(expr: str) -> str:
    """Segment's event-name slug: ``Email Opened`` -> ``email_opened``."""
    camel = f"regexp_replace({expr}, '([a-z0-9])([A-Z])', '\\1_\\2', 'g')"
    return f"trim(regexp_replace(lower({camel}), '[^a-z0-9]+', '_', 'g'), '_')"


@dataclass
class _Shape:
    """Keys seen in a file's JSON objects for one target table."""

    rows: int = 0
    keys: dict[str, list[str]] = field(default_factory=dict)  # json path prefix -> keys seen

    def add(self, paths: list[str], key_lists: list[list[str] | None] | None, count: int) -> None:
        self.rows += count
        for prefix, keys in zip(paths, key_lists or [], strict=False):
            if keys:
                seen = self.keys.setdefault(prefix, [])
                seen.extend(k for k in keys if k not in seen)


def _json_columns(shape: _Shape, segment: bool, relation: str) -> dict[str, list[str]]:
    """column -> JSON paths (first non-null wins), in a stable order."""
    cols: dict[str, list[str]] = {}

    def put(column: str, path: str) -> None:
        cols.setdefault(column, [])
        if path not in cols[column]:
            cols[column].append(path)

    top = [k for k in shape.keys.get("$", []) if '"' not in k]
    if not segment:
        for key in top:
            put(snake_case(key), _json_path(key))
        return cols
    for key in top:
        if key in SEGMENT_CONTAINERS or key == "type":
            if key in SEGMENT_CONTAINERS and _json_path(key) not in shape.keys:
                # an empty or non-object container: keep it as JSON text
                put(snake_case(key), _json_path(key))
            continue
        put("id" if key == "messageId" else snake_case(key), _json_path(key))
    for container in ("properties", "traits"):
        for key in shape.keys.get(_json_path(container), []):
            if '"' in key:
                continue
            name = snake_case(key)
            if name in SEGMENT_COMMON:  # never let a property overwrite the message's own fields
                name = f"{container}_{name}"
            put(name, _json_path(container, key))
    for key in shape.keys.get(_json_path("context"), []):
        if '"' in key:
            continue
        children = shape.keys.get(_json_path("context", key)) if key in CONTEXT_OBJECTS else None
        if children:
            for child in children:
                if '"' not in child:
                    put(
                        f"context_{snake_case(key)}_{snake_case(child)}",
                        _json_path("context", key, child),
                    )
        else:
            put(f"context_{snake_case(key)}", _json_path("context", key))
    return cols


def read_json(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, table: RawTable, tag: str
) -> FileExtract:
    extract = FileExtract(rows_read=0)
    if lf.path.stat().st_size == 0 or not _open_text_head(lf, 65536):
        return extract  # empty, also a gzip of nothing
    segment = lf.source == "segment"
    stage, rejects, scans = f"_ingest_stage_{tag}", f"_ingest_rej_{tag}", f"_ingest_rejscan_{tag}"
    extract.temp_tables += [stage, rejects, scans]
    if segment:
        routes = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in SEGMENT_TYPES.items())
        routes += " " + " ".join(f"WHEN {lit(t)} THEN '!unroutable'" for t in SEGMENT_UNROUTABLE)
        route = f"CASE json_extract_string(line, '$.type') {routes} ELSE {lit(table.relation)} END"
    else:
        route = lit(table.relation)
    # one parse for the type (try(): NULL when not JSON), the cheap blank test only then
    classify = (
        "CASE WHEN line IS NULL THEN '!blank' "
        "WHEN _jt IS NULL THEN CASE WHEN trim(line, ' ' || chr(9) || chr(13)) = '' "
        "THEN '!blank' ELSE '!bad_json' END "
        "WHEN _jt <> 'OBJECT' THEN '!not_object' "
        f"ELSE {route} END"
    )
    # stage the lines only: every JSON function below parses them once more, so the
    # staging pass stays a plain (parallel) read
    sql = f"""
        CREATE OR REPLACE TEMP TABLE {q(stage)} AS
        SELECT row_number() OVER () AS _ord, line
        FROM read_csv({lit(str(lf.path))}, columns={{'line': 'VARCHAR'}}, header=false,
                      auto_detect=false, delim='\x01', quote='', escape='',
                      strict_mode=false, new_line='\\r\\n', compression={lit(lf.compression)},
                      max_line_size={MAX_LINE_BYTES}, store_rejects=true,
                      rejects_table={lit(rejects)}, rejects_scan={lit(scans)}, rejects_limit=0)
    """
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        extract.drop(con)
        raise _duckdb_problem(lf, exc) from exc

    rejected = con.execute(
        f"""SELECT line, list(DISTINCT CAST(error_type AS VARCHAR)), any_value(csv_line)
            FROM temp.{q(rejects)} GROUP BY line ORDER BY line"""
    ).fetchall()
    slot_map = _slot_map(con, [r[0] for r in rejected], f"_ingest_map_{tag}", extract)

    # which keys occur, per target table (one pass; few distinct key lists)
    paths = ["$"]
    if segment:
        paths += [_json_path(c) for c in SEGMENT_CONTAINERS]
        paths += [_json_path("context", c) for c in CONTEXT_OBJECTS]
    path_list = "[" + ", ".join(lit(p) for p in paths) + "]"
    groups = con.execute(
        f"""SELECT _tgt, ks, count(*) FROM (
                SELECT try(json_type(line)) AS _jt, {classify} AS _tgt,
                       CASE WHEN NOT starts_with(_tgt, '!')
                            THEN json_keys(line, {path_list}) END AS ks
                FROM temp.{q(stage)}) GROUP BY ALL"""
    ).fetchall()
    shapes: dict[str, _Shape] = {}
    bad_counts: dict[str, int] = {}
    for tgt, ks, count in groups:
        if tgt.startswith("!"):
            bad_counts[tgt] = bad_counts.get(tgt, 0) + count
        else:
            shapes.setdefault(tgt, _Shape()).add(paths, ks, count)

    n_quarantine = sum(c for t, c in bad_counts.items() if t != "!blank") + len(rejected)
    extract.rows_read = sum(s.rows for s in shapes.values()) + n_quarantine
    extract.rows_quarantined = n_quarantine
    if n_quarantine and not shapes:
        reasons = ", ".join(sorted(t.strip("!") for t in bad_counts if t != "!blank"))
        extract.drop(con)
        raise _fail(
            lf,
            f"no line is a JSON object ({n_quarantine} unreadable lines: "
            f"{reasons or 'not UTF-8'}); is it newline-delimited JSON?",
        )

    # quarantine: lines DuckDB rejected + lines that are not JSON objects
    qname = f"_ingest_q_{tag}"
    extract.temp_tables.append(qname)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {q(qname)} "
        "(file_row_number BIGINT, reason VARCHAR, raw_record VARCHAR)"
    )
    if rejected:
        con.executemany(
            f"INSERT INTO temp.{q(qname)} VALUES (?, ?, ?)",
            [
                (
                    line,
                    "line contains bytes that are not valid UTF-8 (shown as ? in raw_record); "
                    "export the file as UTF-8"
                    if any("ENCOD" in t or "UNICODE" in t for t in types)
                    else f"line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB"
                    if any("LINE SIZE" in t for t in types)
                    else f"line could not be read ({', '.join(types)})",
                    (raw or "")[:RAW_RECORD_CHARS],
                )
                for line, types, raw in rejected
            ],
        )
    skip = f"_ingest_skip_{tag}"
    if bad_counts:  # lines that are not loaded: blank, not JSON objects, unroutable
        extract.temp_tables.append(skip)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {q(skip)} AS
                SELECT _ord, line, _tgt FROM (
                    SELECT _ord, line, try(json_type(line)) AS _jt, {classify} AS _tgt
                    FROM temp.{q(stage)})
                WHERE starts_with(_tgt, '!')"""
        )
    if any(t != "!blank" for t in bad_counts):
        con.execute(
            f"""INSERT INTO temp.{q(qname)}
                SELECT _row,
                       CASE _tgt
                         WHEN '!bad_json' THEN 'line is not valid JSON'
                         WHEN '!not_object' THEN 'line is JSON but not an object (a '
                              || lower(json_type(line)) || '); each line must be one record'
                         ELSE 'Segment ' || coalesce(json_extract_string(line, '$.type'), '?')
                              || ' message: there is no raw table for this message type'
                       END,
                       left(line, {RAW_RECORD_CHARS})
                FROM ({_numbered(skip, slot_map, 0)})
                WHERE _tgt IN ('!bad_json', '!not_object', '!unroutable')"""
        )
    if n_quarantine:
        extract.quarantine_sql = f"SELECT * FROM temp.{q(qname)}"

    from leadseg.schema import RAW_TABLES_BY_RELATION  # local: avoid a cycle in type checkers

    for relation in sorted(shapes):
        shape = shapes[relation]
        target = RAW_TABLES_BY_RELATION[relation]
        mapping = _json_columns(shape, segment, relation)
        _check_required(lf, target, list(mapping), "fields seen in the records are")
        all_paths: list[str] = [p for ps in mapping.values() for p in ps]
        index = {p: i + 1 for i, p in enumerate(all_paths)}
        exprs: dict[str, str] = {}
        for column, ps in mapping.items():
            parts = [f"_v[{index[p]}]" for p in ps]
            exprs[column] = parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
        if relation == "segment__tracks" and "event" in exprs:
            raw_event = exprs["event"]
            if "event_text" in exprs:
                given = exprs["event_text"]
                slug = _slug_sql(raw_event)
                exprs["event"] = f"CASE WHEN {given} IS NOT NULL THEN {raw_event} ELSE {slug} END"
                exprs["event_text"] = f"coalesce({given}, {raw_event})"
            else:
                exprs["event"] = _slug_sql(raw_event)
                exprs["event_text"] = raw_event
        columns = list(exprs)
        filters = ["true"]
        if bad_counts:
            filters.append(f"_ord NOT IN (SELECT _ord FROM temp.{q(skip)})")
        if len(shapes) > 1:
            filters.append(f"try({route}) = {lit(relation)}")
        path_sql = "[" + ", ".join(lit(p) for p in all_paths) + "]"
        select = ", ".join(f"{e} AS {q(c)}" for c, e in exprs.items())
        extract.targets.append(
            TargetRows(
                relation,
                columns,
                f"SELECT {select}, _row AS _file_row_number FROM ("
                # try(): the optimizer may evaluate this before the filter drops bad lines
                f"SELECT try(json_extract_string(line, {path_sql})) AS _v, _row "
                f"FROM ({_numbered(stage, slot_map, 0)}) WHERE {' AND '.join(filters)})",
                shape.rows,
            )
        )
    return extract


def read_file(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, table: RawTable, tag: str
) -> FileExtract:
    """Stage one landing file and describe its rows (see the module docstring)."""
    if lf.file_format in ("csv", "json") and lf.compression == "none":
        with open(lf.path, "rb") as fh:
            if fh.read(2) == b"\x1f\x8b":
                raise _fail(lf, "is gzip-compressed but its name does not end in .gz; rename it")
    if lf.file_format == "csv":
        return read_csv(con, lf, table, tag)
    if lf.file_format == "parquet":
        return read_parquet(con, lf, table, tag)
    if lf.file_format == "json":
        return read_json(con, lf, table, tag)
    raise _fail(lf, f"has an unsupported file type; landing files must be {SUPPORTED}")
