"""The review queue of each consulate: first come, first served, positions that only move forward.

A declaration takes the next place (``queue_seq``) of its consulate when it is submitted and
keeps it until it leaves review (approved, rejected or cancelled); answering a request for
supplementary material keeps it too. Its position is the number of declarations still in review
with a smaller place. Places are handed out under the consulate's counter row lock, so they are
committed in order and without gaps: nobody can appear ahead of a declaration once it is in the
queue, and its position can only shrink.

Counting what is ahead directly would read up to the whole queue. Instead, each block of
``BLOCK_SIZE`` places tallies its departures (in the transactions that decide or cancel), and a
position is the places handed out before one's block, less the departures tallied for those
blocks, plus a count of what still waits before one inside one's own block. Submitting writes
only the counter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import (
    CTE,
    Insert,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Session

from itdeclare.server.db import dialect_insert
from itdeclare.server.tables import IN_QUEUE_SQL, DeclarationRow, QueueBlock, QueueCounter

BLOCK_SIZE = 1024

#: The exact predicate of the queue's partial index, as literal SQL so that both databases (and
#: PostgreSQL's generic plans) see that the index applies.
IN_QUEUE = text(IN_QUEUE_SQL)


def block_of(seq: int) -> int:
    return seq // BLOCK_SIZE


_COUNTERS = cast(Table, QueueCounter.__table__)
#: The next place, as one table-level statement: compiled once, not built per submission.
_BUMP = (
    update(_COUNTERS)
    .where(_COUNTERS.c.consulate == bindparam("of_consulate"))
    .values(last_seq=_COUNTERS.c.last_seq + 1, waiting=_COUNTERS.c.waiting + 1)
    .returning(_COUNTERS.c.last_seq, _COUNTERS.c.waiting)
)


def enter(session: Session, consulate: str) -> tuple[int, int]:
    """Take the next place in ``consulate``'s queue: ``(queue_seq, queue_position)``.

    Locks the consulate's counter until the transaction ends; call it late in the transaction.
    Places start at 1.
    """
    # A plain UPDATE first: waiters for the lock re-check only the row they wait for, where an
    # upsert under contention starts its whole conflict check again each time the row changes.
    bumped = session.execute(_BUMP, {"of_consulate": consulate}).one_or_none()
    if bumped is None:  # the consulate's first declaration
        insert = dialect_insert(session)
        bumped = session.execute(
            insert(QueueCounter)
            .values(consulate=consulate, last_seq=1, waiting=1)
            .on_conflict_do_update(
                index_elements=[QueueCounter.consulate],
                set_={"last_seq": QueueCounter.last_seq + 1, "waiting": QueueCounter.waiting + 1},
            )
            .returning(QueueCounter.last_seq, QueueCounter.waiting)
        ).one()
    seq, waiting = bumped
    return seq, waiting - 1


def entering(insert_row: Callable[[CTE], Insert], gate: CTE | None = None) -> Select[Any]:
    """PostgreSQL: one statement that takes the next place of the consulate bound as
    ``of_consulate`` and runs ``insert_row(place)``, an INSERT … SELECT from ``place`` (its
    ``last_seq`` is the place taken) with a RETURNING of its own. It answers ``(queue_seq,
    queue_position)`` as ``enter`` does, then what the insert returned; or no row when the
    consulate has no counter yet (``enter`` makes it), or when ``gate`` (a data-modifying CTE
    run first) answered no row.

    Run alone in autocommit, the statement is its own transaction: the counter's row lock is held
    only while it runs and commits, and if the insert fails the place is given back.
    """
    bump = _BUMP
    if gate is not None:
        bump = bump.where(select(literal_column("1")).select_from(gate).exists())
    place = bump.cte("place")
    # Joined with the insert's RETURNING, so the answer has a row only if the insert made one.
    made = insert_row(place).cte("made")
    return select(place.c.last_seq, place.c.waiting - 1, *made.c).join_from(place, made, true())


def leave(session: Session, consulate: str, seq: int) -> None:
    """Record that the declaration at ``seq`` left review (its status already changed)."""
    session.execute(
        update(QueueCounter)
        .where(QueueCounter.consulate == consulate)
        .values(waiting=QueueCounter.waiting - 1)
    )
    insert = dialect_insert(session)
    session.execute(
        insert(QueueBlock)
        .values(consulate=consulate, block=block_of(seq), departed=1)
        .on_conflict_do_update(
            index_elements=[QueueBlock.consulate, QueueBlock.block],
            set_={"departed": QueueBlock.departed + 1},
        )
    )


def position(session: Session, consulate: str, seq: int) -> int:
    """How many declarations of ``consulate`` still in review are ahead of place ``seq``."""
    block = block_of(seq)
    first_in_block = max(1, block * BLOCK_SIZE)
    departed_before = (
        select(func.coalesce(func.sum(QueueBlock.departed), 0))
        .where(QueueBlock.consulate == consulate, QueueBlock.block < block)
        .scalar_subquery()
    )
    waiting_in_block = (
        select(func.count())
        .select_from(DeclarationRow)
        .where(
            DeclarationRow.consulate == consulate,
            DeclarationRow.queue_seq >= first_in_block,
            DeclarationRow.queue_seq < seq,
            IN_QUEUE,
        )
        .scalar_subquery()
    )
    # One statement, so both parts are read from one snapshot.
    ahead = (first_in_block - 1) - departed_before + waiting_in_block
    return int(session.execute(select(ahead)).scalar_one())
