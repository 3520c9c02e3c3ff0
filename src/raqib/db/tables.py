"""Table definitions (SQLAlchemy Core). Changes here need an Alembic migration in ``migrations/``."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

watchlist = sa.Table(
    "watchlist",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

list_version = sa.Table(
    "list_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_id", sa.String(64), sa.ForeignKey("watchlist.id"), nullable=False, index=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("publisher_date", sa.String(40), nullable=True),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("format", sa.String(40), nullable=False),
    sa.Column("source_path", sa.String(1000), nullable=True),
    sa.Column("entity_count", sa.Integer, nullable=False),
    sa.UniqueConstraint("list_id", "content_hash", name="uq_list_version_content"),
)

list_entity = sa.Table(
    "list_entity",
    metadata,
    sa.Column(
        "version_id", sa.Integer, sa.ForeignKey("list_version.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("entity_id", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(20), nullable=False),
    sa.Column("caption", sa.String(1000), nullable=False),
    # Canonical JSON (sorted keys): equal text means an unchanged entity, which keeps diffs cheap.
    sa.Column("data", sa.Text, nullable=False),
)

api_key = sa.Table(
    "api_key",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    # The first characters of the secret, shown in listings and used to find the row; the secret
    # itself is never stored, only its SHA-256 (keys are 256-bit random, so a KDF adds nothing).
    sa.Column("prefix", sa.String(16), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
)

customer = sa.Table(
    "customer",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("dob", sa.String(20), nullable=True),
    sa.Column("country", sa.String(100), nullable=True),
    sa.Column("type", sa.String(20), nullable=True),
    # Hash of the screened fields: an allow-list entry holds only while this is unchanged.
    sa.Column("record_hash", sa.String(64), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

job = sa.Table(
    "job",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # running, done, failed
    sa.Column("params", sa.Text, nullable=False),
    # Customers are processed in id order; the cursor is the last id whose results are committed.
    sa.Column("cursor", sa.String(200), nullable=True),
    sa.Column("processed", sa.Integer, nullable=False, default=0),
    sa.Column("hits", sa.Integer, nullable=False, default=0),
    sa.Column("total", sa.Integer, nullable=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("message", sa.Text, nullable=True),
)

alert = sa.Table(
    "alert",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_id", sa.String(200), nullable=False, index=True),
    sa.Column("entity_id", sa.String(200), nullable=False, index=True),
    sa.Column("list_id", sa.String(64), nullable=False),
    sa.Column("list_version_id", sa.Integer, nullable=False),
    sa.Column(
        "source", sa.String(20), nullable=False, index=True
    ),  # batch, delta, single, payment, text, monitoring
    sa.Column("status", sa.String(20), nullable=False),  # open, entity_removed, suppressed, closed
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("matched_name", sa.String(1000), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON: features, alignments, algorithm
    sa.Column("algorithm", sa.String(40), nullable=False),
    sa.Column("job_id", sa.Integer, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("customer_id", "entity_id", name="uq_alert_customer_entity"),
    sa.Index("ix_alert_status_id", "status", "id"),  # the alert queue: a status's alerts, paged in id order
)

allow_entry = sa.Table(
    "allow_entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_id", sa.String(200), nullable=False, index=True),
    sa.Column("entity_id", sa.String(200), nullable=False),
    sa.Column("customer_hash", sa.String(64), nullable=False),
    sa.Column("entity_hash", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

# --- Users, sessions, cases and the audit chain (migration 0004) ---

app_user = sa.Table(
    "app_user",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Usernames never change: the audit trail and the four-eyes check name users by them.
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),  # argon2id, with its parameters
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
)

user_session = sa.Table(
    "user_session",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # SHA-256 of the random token: a database leak does not leak live sessions.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

case_file = sa.Table(
    "case_file",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),  # new, in_review, proposed, ...
    sa.Column("disposition", sa.String(20), nullable=True),  # true_match, false_positive, escalate, file_str
    sa.Column("reason", sa.Text, nullable=True),  # the proposer's reasoning
    sa.Column("assignee", sa.String(100), nullable=True),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    # Four-eyes: the proposer's actor id; the server refuses an approval by the same actor.
    sa.Column("proposed_by", sa.String(200), nullable=True),
    sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decided_by", sa.String(200), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision_note", sa.Text, nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    # Optimistic concurrency: every change is a conditional UPDATE on this number.
    sa.Column("version", sa.Integer, nullable=False),
    # the alert queue's case table: a status's cases, paged in due-date order
    sa.Index("ix_case_file_status_due_id", "status", "due_at", "id"),
)

case_alert = sa.Table(
    "case_alert",
    metadata,
    # An alert belongs to at most one case: the primary key is the alert alone.
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alert.id"), primary_key=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id"), nullable=False, index=True),
    sa.Column("added_by", sa.String(200), nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
)

case_comment = sa.Table(
    "case_comment",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id"), nullable=False, index=True),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

case_evidence = sa.Table(
    "case_evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id"), nullable=False, index=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # seq is assigned by the appender (head + 1), never by the database: a gap means a deletion.
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("ts", sa.String(40), nullable=False),  # ISO 8601 UTC text, exactly as hashed
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(60), nullable=False, index=True),
    sa.Column("subject", sa.String(200), nullable=False, index=True),
    sa.Column("details", sa.Text, nullable=False),  # canonical JSON, exactly as hashed
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_head = sa.Table(
    "audit_head",
    metadata,
    # One row (id 1): the last seq and hash. Appenders lock it, so concurrent appends never fork
    # the chain, and a deleted tail shows as a head the log no longer reaches.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

report_export = sa.Table(
    "report_export",
    metadata,
    # One row per file that left for the FIU (kind "goaml"); re-exports of a case get version + 1.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("case_file.id"), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("profile", sa.String(60), nullable=False),
    sa.Column("report_code", sa.String(20), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("report_input", sa.Text, nullable=False),  # the ReportInput JSON the file was built from
    sa.Column("exported_by", sa.String(200), nullable=False),
    sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("case_id", "kind", "version", name="uq_report_export_case_kind_version"),
)
