"""The class's questions and answers, in a database (no Streamlit).

An SQLite file by default, so that `streamlit run` needs no set-up; any SQLAlchemy URL in the
environment variable CLASS_DB otherwise (PostgreSQL when replicas behind the proxy must count one
class together). The schema is created, and migrated, when a store is opened.

No names or personal data: an answer is kept under a random word the student's browser session
holds. A question and its answers are deleted 24 hours after it was asked. A question's code is
72 random bits (a stranger does not find a class by trying codes); the teacher's key is 192 bits
and only its hash is stored. The browser that asked (or opened the teacher's link) is the teacher's too: its
address bar, on the projector, needs no key, so a photograph of it opens a student's page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (Boolean, Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, event,
                        func, insert, select, update)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from .truth import OUTCOMES

DEFAULT_DB = f"sqlite:///{Path(__file__).resolve().parents[1] / 'class.db'}"
LIFETIME = 24 * 3600  # seconds a question and its answers are kept
MAX_TRIES = 20  # answers one session may send to one question; then it is refused
CODE = re.compile(r"[A-Za-z0-9_-]{12}")  # secrets.token_urlsafe(9): 72 bits
KEY = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24): 192 bits
SCHEMA_VERSION = 1

metadata = MetaData()
schema = Table("class_schema", metadata, Column("version", Integer, nullable=False))
questions = Table(
    "class_questions", metadata,
    Column("code", String(12), primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # "outcome" or "position"
    Column("run", Integer, nullable=False),  # which run (0-based) the question is about
    Column("epoch", Integer, nullable=False),  # the epoch a position question asks about
    Column("query", Text, nullable=False),  # the view, as its link fields (JSON)
    Column("truth", Text, nullable=False),  # what the run does (JSON), shown at the reveal
    Column("revealed", Boolean, nullable=False, default=False),
    Column("created", Float, nullable=False, index=True),
)
answers = Table(
    "class_answers", metadata,
    Column("code", String(12), primary_key=True),
    Column("session", String(32), primary_key=True),
    Column("choice", String(16)),  # an outcome question's answer
    Column("x", Float),  # a position question's answer
    Column("y", Float),
    Column("tries", Integer, nullable=False, default=1),
    Column("created", Float, nullable=False, index=True),
)
# who else may see the answers and reveal them (hashes): the browsers that asked or opened the teacher's link, and
# the keys of links made for another device after a reload (the first key is the question's key_hash)
teachers = Table(
    "class_teachers", metadata,
    Column("code", String(12), primary_key=True),
    Column("credential", String(64), primary_key=True),
    Column("created", Float, nullable=False, index=True),
)
# how to bring a database at version v to v + 1; none yet (a new table is created by create_all)
MIGRATIONS: dict[int, list[str]] = {}


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    run: int
    epoch: int
    query: dict
    truth: dict
    revealed: bool
    created: float


@dataclass(frozen=True)
class Answer:
    choice: str | None
    point: tuple[float, float] | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _browser(word: str) -> str:
    """A browser's credential: the hash of its session word, never a key's hash."""
    return _hash("browser:" + word)


def database_url() -> str:
    return os.environ.get("CLASS_DB") or DEFAULT_DB


class Store:
    def __init__(self, url: str):
        sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, pool_pre_ping=True, **({"connect_args": {"timeout": 30}} if sqlite else {}))
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_setup)
        self._migrate()

    def _migrate(self) -> None:
        try:
            metadata.create_all(self.engine)
        except (IntegrityError, ProgrammingError, OperationalError):  # another replica created them just now
            metadata.create_all(self.engine)
        with self.engine.begin() as db:
            version = db.execute(select(func.max(schema.c.version))).scalar()
            if version is None:
                db.execute(insert(schema).values(version=SCHEMA_VERSION))
                return
            for v in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[v]:
                    db.exec_driver_sql(statement)
            if version < SCHEMA_VERSION:
                db.execute(update(schema).values(version=SCHEMA_VERSION))

    # --- the teacher ---

    def ask(self, kind: str, query: dict, run: int, epoch: int, truth: dict, now: float | None = None,
            browser: str | None = None) -> tuple[str, str]:
        """A new question; its code (for the students' link) and its key (for the teacher's link). The
        `browser` that asked (its session word) is the teacher's without the key."""
        now = time.time() if now is None else now
        self.purge(now)
        key = secrets.token_urlsafe(24)
        with self.engine.begin() as db:
            while True:
                code = secrets.token_urlsafe(9)
                if db.execute(select(questions.c.code).where(questions.c.code == code)).first() is None:
                    break
            db.execute(insert(questions).values(code=code, key_hash=_hash(key), kind=kind, run=run, epoch=epoch,
                                                query=json.dumps(query), truth=json.dumps(truth), revealed=False,
                                                created=now))
            if browser:
                db.execute(insert(teachers).values(code=code, credential=_browser(browser), created=now))
        return code, key

    def is_teacher(self, code: str, key: str | None = None, browser: str | None = None) -> bool:
        """Whether `key` is a key of the question, or `browser` (a session word) a teacher's browser; a
        browser that brings a key is one from then on (a reload needs no key in its address bar)."""
        valid_key = bool(key) and KEY.fullmatch(key) is not None
        if not valid_key and not browser:
            return False
        with self.engine.connect() as db:
            first = db.execute(select(questions.c.key_hash).where(questions.c.code == code)).scalar()
            if first is None:
                return False
            others = set(db.execute(select(teachers.c.credential).where(teachers.c.code == code)).scalars())
        if browser and _browser(browser) in others:
            return True
        if not valid_key or not any(hmac.compare_digest(h, _hash(key)) for h in (first, *others)):
            return False
        if browser:
            self._add_teacher(code, _browser(browser))
        return True

    def new_key(self, code: str, browser: str) -> str | None:
        """A further key to the question, for a teacher's `browser` that no longer holds its key (reloaded):
        the link for another device. None for any other browser."""
        if not self.is_teacher(code, browser=browser):
            return None
        key = secrets.token_urlsafe(24)
        self._add_teacher(code, _hash(key))
        return key

    def _add_teacher(self, code: str, credential: str) -> None:
        try:
            with self.engine.begin() as db:
                db.execute(insert(teachers).values(code=code, credential=credential, created=time.time()))
        except IntegrityError:  # the same browser's other tab added it just now
            pass

    def reveal(self, code: str, key: str | None = None, browser: str | None = None) -> bool:
        if not self.is_teacher(code, key, browser):
            return False
        with self.engine.begin() as db:
            db.execute(update(questions).where(questions.c.code == code).values(revealed=True))
        return True

    def answers(self, code: str) -> list[Answer]:
        with self.engine.connect() as db:
            rows = db.execute(select(answers.c.choice, answers.c.x, answers.c.y).where(answers.c.code == code)).all()
        return [Answer(r.choice, None if r.x is None else (r.x, r.y)) for r in rows]

    def answer_of(self, code: str, session: str) -> Answer | None:
        """The answer a session has recorded, if any (a reloaded page shows it again)."""
        with self.engine.connect() as db:
            r = db.execute(select(answers.c.choice, answers.c.x, answers.c.y)
                           .where(answers.c.code == code, answers.c.session == session)).first()
        return None if r is None else Answer(r.choice, None if r.x is None else (r.x, r.y))

    def count(self, code: str) -> int:
        with self.engine.connect() as db:
            return db.execute(select(func.count()).select_from(answers).where(answers.c.code == code)).scalar()

    # --- everyone ---

    def question(self, code: str | None, now: float | None = None) -> Question | None:
        """The question with this code, None if there is none (or it is older than LIFETIME)."""
        if not code or not CODE.fullmatch(code):
            return None
        now = time.time() if now is None else now
        with self.engine.connect() as db:
            row = db.execute(select(questions).where(questions.c.code == code)).first()
        if row is None or row.created < now - LIFETIME:
            return None
        return Question(row.code, row.kind, row.run, row.epoch, json.loads(row.query), json.loads(row.truth),
                        bool(row.revealed), row.created)

    # --- the students ---

    def answer(self, code: str, session: str, choice: str | None = None, point: tuple[float, float] | None = None,
               now: float | None = None) -> str:
        """Record a session's answer, replacing its earlier one: "recorded", or why not: "closed" (revealed,
        or no such question), "too_many" (this session has answered MAX_TRIES times), "invalid" (not one of
        the choices, or not a finite point, or not this question's kind of answer)."""
        now = time.time() if now is None else now
        q = self.question(code, now)
        if q is None or q.revealed:
            return "closed"
        if not (0 < len(session) <= 32) or not _valid(q.kind, choice, point):
            return "invalid"
        x, y = point if point is not None else (None, None)
        values = dict(choice=choice, x=x, y=y, created=now)
        with self.engine.begin() as db:
            changed = db.execute(update(answers).where(answers.c.code == code, answers.c.session == session,
                                                       answers.c.tries < MAX_TRIES)
                                 .values(tries=answers.c.tries + 1, **values)).rowcount
            if changed:
                return "recorded"
            if db.execute(select(answers.c.tries).where(answers.c.code == code, answers.c.session == session)
                          ).first() is not None:
                return "too_many"
        try:
            with self.engine.begin() as db:
                db.execute(insert(answers).values(code=code, session=session, tries=1, **values))
        except IntegrityError:  # the same session's other answer came first: replace it
            return self.answer(code, session, choice, point, now)
        return "recorded"

    def purge(self, now: float | None = None) -> None:
        """Delete the questions older than LIFETIME and their answers."""
        old = (time.time() if now is None else now) - LIFETIME
        with self.engine.begin() as db:
            gone = select(questions.c.code).where(questions.c.created < old)
            db.execute(delete(answers).where(answers.c.code.in_(gone)))
            db.execute(delete(answers).where(answers.c.created < old))
            db.execute(delete(teachers).where(teachers.c.code.in_(gone)))
            db.execute(delete(teachers).where(teachers.c.created < old))
            db.execute(delete(questions).where(questions.c.created < old))


def _valid(kind: str, choice, point) -> bool:
    if kind == "outcome":
        return choice in OUTCOMES and point is None
    try:
        return choice is None and len(point) == 2 and all(math.isfinite(float(v)) and abs(v) <= 1e6 for v in point)
    except (TypeError, ValueError):
        return False


def _sqlite_setup(connection, _record) -> None:
    """Readers do not wait for a writer (WAL), and a busy database is waited for, not an error."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
