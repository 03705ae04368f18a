"""The rules check: the rule in force, the flight it is counted against, and each test's verdict."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from itdeclare.reviewing.checks import RulesCheck, TestCheck
from itdeclare.reviewing.fields import loc_label
from itdeclare.reviewing.text import airport_name, country_name, value_text
from itdeclare.wording import language, problem_text, tr, warning_text


class RulesView(VerticalScroll):
    DEFAULT_CSS = """
    RulesView {
        height: 1fr;
        padding: 0 1;
        & Label { width: 1fr; }
        & .verdict { text-style: bold; margin-bottom: 1; }
        & .-passed { color: $text-success; }
        & .-failed { color: $text-error; }
        & .heading { text-style: bold; color: $text-accent; margin-top: 1; }
        & .detail { padding-left: 2; }
        & .problem { padding-left: 4; color: $text-error; }
        & .window { padding-left: 4; color: $text-muted; }
        & .warning { padding-left: 2; color: $text-warning; }
    }
    """

    def __init__(self, check: RulesCheck, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.check = check

    def compose(self) -> ComposeResult:
        check = self.check
        state = "-passed" if check.passed else "-failed"
        verdict = tr("review.rules.passed" if check.passed else "review.rules.failed")
        yield Label(verdict, classes=f"verdict {state}")
        yield Label(tr("review.rules.rule"), classes="heading")
        if check.rule is None:
            yield Label(tr("review.rules.no_rule", version=check.rules_version), classes="detail")
        else:
            yield Label(
                tr("review.rules.rule_id", id=check.rule.id, version=check.rules_version),
                classes="detail",
                markup=False,
            )
            yield Label(check.rule.description[language()], classes="detail", markup=False)
        leg = check.leg
        yield Label(tr("review.rules.leg"), classes="heading")
        yield Label(
            tr(
                "review.rules.leg_line",
                flight=leg.flight,
                origin=airport_name(leg.from_),
                destination=airport_name(leg.to),
                departs=check.local_departure or leg.departs_at,
            ),
            classes="detail",
            markup=False,
        )
        yield Label(tr("review.rules.tests"), classes="heading")
        if not check.tests:
            yield Label(tr("review.rules.no_tests"), classes="detail")
        for test in check.tests:
            yield from self._test(test)
        if check.other:
            yield Label(tr("review.rules.other"), classes="heading")
            for problem in check.other:
                where = loc_label(problem.loc) if problem.loc else ""
                text = f"{where}: {problem_text(problem)}" if where else problem_text(problem)
                yield Label(text, classes="problem", markup=False)
        if check.warnings:
            yield Label(tr("review.rules.warnings"), classes="heading")
            for warning in check.warnings:
                text = f"{loc_label(warning.loc)}: {warning_text(warning)}"
                yield Label(text, classes="warning", markup=False)

    def _test(self, test: TestCheck) -> ComposeResult:
        window = (
            tr("review.rules.window", earliest=test.earliest, departs=self.check.local_departure)
            if test.earliest is not None and self.check.local_departure is not None
            else tr("review.rules.not_required")
        )
        mark = tr("review.rules.ok" if test.passed else "review.rules.outside")
        yield Label(
            tr(
                "review.rules.test_line",
                n=test.index + 1,
                kind=test.test.kind,
                sampled=test.test.sampled_at,
                country=country_name(test.test.country),
                result=value_text(test.test.result),
                mark=mark,
            ),
            classes="detail -passed" if test.passed else "detail -failed",
            markup=False,
        )
        yield Label(window, classes="window", markup=False)
        for problem in test.problems:
            yield Label(problem_text(problem), classes="problem", markup=False)
