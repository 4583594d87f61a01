"""Config loading: valid forms, and one exact file:line message per kind of mistake."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from roicli.config import Target, find_config, load_config
from roicli.errors import ConfigError

VALID = """\
version: 1
currency: EUR
business_goals: [Grow inbound leads]
sources:
  - path: data/web.csv
    columns: {date: Date, kpi: Metric, value: Value, group: Team}
kpis:
  sessions: {label: Organic sessions, direction: increase, aggregation: sum}
  customers: {}
  leads: {aliases: [MQL]}
  conversion: {unit: "%", ratio: {numerator: customers, denominator: leads}}
programs:
  - name: SEO mentoring
    start: 2026-01-15
    participants: 12
    costs:
      - {item: Workshops, category: delivery, amount: 9000}
      - {item: Participants' time, category: participant_time, hours: 96, rate: 45}
    objectives:
      - id: seo
        title: Increase organic sessions by 20% by applying the SEO techniques taught
        kpi: sessions
        baseline: {from: 2025-10, to: 2025-12}
        target: {change: "+20%"}
        deadline: 2026-07-31
        attribution: 50%
        confidence: 0.8
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roicli.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value).replace(str(path), "roicli.yaml")


def test_valid_config_resolves_paths_shares_and_periods(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, VALID))
    config = loaded.config
    assert config.sources[0].path == tmp_path / "data" / "web.csv"  # relative to the config
    objective = config.programs[0].objectives[0]
    assert objective.attribution == 0.5  # "50%"
    assert objective.baseline is not None
    assert objective.baseline.from_ is not None
    assert objective.baseline.from_.start == date(2025, 10, 1)
    assert config.kpis["conversion"].aggregation.value == "ratio"


def test_program_shorthand(tmp_path: Path) -> None:
    text = VALID.replace("programs:\n  - name", "program:\n    name")
    loaded = load_config(write(tmp_path, text))
    assert loaded.config.programs[0].name == "SEO mentoring"


@pytest.mark.parametrize(
    ("change", "baseline", "expected"),
    [("+20%", 100.0, 120.0), ("-10%", 50.0, 45.0), (2400, 12000.0, 14400.0), ("-5", 40.0, 35.0)],
)
def test_target_forms(change: str | int, baseline: float, expected: float) -> None:
    assert Target(change=change).resolve(baseline) == pytest.approx(expected)
    assert Target(value=7).resolve(baseline) == 7


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "baseline: {from",
            "baslin: {from",
            "roicli.yaml:23: programs[0].objectives[0].baslin: unknown key 'baslin' "
            "(did you mean 'baseline'?)",
        ),
        (
            'change: "+20%"',
            "change: ten",
            "roicli.yaml:24: programs[0].objectives[0].target.change: expected a number or a "
            "change like \"+20%\", got 'ten'",
        ),
        (
            "confidence: 0.8",
            "confidence: 1.5",
            "roicli.yaml:27: programs[0].objectives[0].confidence: input should be less than or "
            "equal to 1, got 1.5",
        ),
        (
            "direction: increase",
            "direction: up",
            "roicli.yaml:8: kpis.sessions.direction: expected one of 'increase' or 'decrease', "
            "got 'up'",
        ),
        (
            "amount: 9000",
            "amount: -9000",
            "roicli.yaml:17: programs[0].costs[0].amount: input should be greater than or equal "
            "to 0, got -9000",
        ),
        (
            "numerator: customers",
            "numerator: custmers",
            "roicli.yaml:11: kpis.conversion.ratio: refers to 'custmers', which is not a "
            "configured KPI (did you mean 'customers'?)",
        ),
        (
            "deadline: 2026-07-31",
            "deadline: 2026-17-31",
            "roicli.yaml:25: programs[0].objectives[0].deadline: cannot read the value "
            "'2026-17-31': month must be in 1..12",
        ),
        (
            "start: 2026-01-15",
            "start: soon",
            "roicli.yaml:14: programs[0].start: expected a date like 2026-06-30, got 'soon'",
        ),
        (
            "{from: 2025-10, to: 2025-12}",
            "{from: 2025-13, to: 2025-12}",
            "roicli.yaml:23: programs[0].objectives[0].baseline.from: expected a period like "
            "2025-10, 2025-Q4, 2025-W40 or a date like 2025-10-31, got '2025-13'",
        ),
        (
            "hours: 96, rate: 45",
            "hours: 96",
            "roicli.yaml:18: programs[0].costs[1]: hours and rate go together "
            "(cost = hours × rate)",
        ),
    ],
)
def test_exact_error_lines(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in VALID
    assert error_for(tmp_path, VALID.replace(old, new)) == message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "amount: 9000",
            "amount: 2000000000000",
            "roicli.yaml:17: programs[0].costs[0].amount: input should be less than or equal to "
            "1,000,000,000,000, got 2000000000000",
        ),
        (
            "rate: 45",
            "rate: 1.0e+13",
            "roicli.yaml:18: programs[0].costs[1].rate: input should be less than or equal to "
            "1,000,000,000,000, got 10000000000000.0",
        ),
        (
            "participants: 12",
            "participants: 20000000",
            "roicli.yaml:15: programs[0].participants: input should be less than or equal to "
            "10,000,000, got 20000000",
        ),
        (
            "confidence: 0.8",
            "confidence: 0.8\n        value_per_unit: 1e300",
            "roicli.yaml:28: programs[0].objectives[0].value_per_unit: input should be less than "
            "or equal to 1,000,000,000,000, got '1e300'",
        ),
        (
            "{from: 2025-10, to: 2025-12}",
            "{value: -1.0e+300}",
            "roicli.yaml:23: programs[0].objectives[0].baseline.value: input should be greater "
            "than or equal to -1,000,000,000,000, got -1e+300",
        ),
        (
            'change: "+20%"',
            "change: -2000000000000",
            "roicli.yaml:24: programs[0].objectives[0].target.change: input should be greater "
            "than or equal to -1,000,000,000,000, got -2000000000000",
        ),
        (
            'change: "+20%"',
            'change: "+2000000000000%"',
            "roicli.yaml:24: programs[0].objectives[0].target.change: input should be at most "
            "1,000,000,000,000 in size, got '+2000000000000%'",
        ),
        (
            "participants: 12",
            "participants: 12\n    intangibles: [{name: Morale, value: .inf}]",
            "roicli.yaml:16: programs[0].intangibles[0].value: Input should be a finite number, "
            "got inf",
        ),
        (
            "programs:",
            "thresholds: {horizon_months: 100000000}\nprograms:",
            "roicli.yaml:12: thresholds.horizon_months: input should be less than or equal to "
            "1,200, got 100000000",
        ),
        (
            "programs:",
            "thresholds: {outlier_z: .inf}\nprograms:",
            "roicli.yaml:12: thresholds.outlier_z: Input should be a finite number, got inf",
        ),
    ],
)
def test_absurd_numbers_are_config_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in VALID
    assert error_for(tmp_path, VALID.replace(old, new)) == message


def test_numbers_at_the_bounds_are_accepted(tmp_path: Path) -> None:
    text = VALID.replace("amount: 9000", "amount: 1000000000000")
    text = text.replace("participants: 12", "participants: 10000000")
    text = text.replace('change: "+20%"', 'change: "-1000000000000"')
    program = load_config(write(tmp_path, text)).config.programs[0]
    assert program.costs[0].amount == 1e12
    assert program.participants == 10_000_000
    assert program.objectives[0].target is not None
    assert program.objectives[0].target.resolve(0.0) == -1e12


def test_a_long_value_is_cut_short_in_the_message(tmp_path: Path) -> None:
    message = error_for(tmp_path, VALID.replace("start: 2026-01-15", "start: " + "x" * 10_000))
    assert message == (
        f"roicli.yaml:14: programs[0].start: expected a date like 2026-06-30, got '{'x' * 59}…'"
    )


def test_yaml_anchors_duplicates_and_syntax(tmp_path: Path) -> None:
    assert error_for(tmp_path, "version: 1\na: &x [1]\nb: *x\n") == (
        "roicli.yaml:2: invalid YAML: anchors and aliases (&name, *name) are not allowed; "
        "write the value out"
    )
    assert error_for(tmp_path, "version: 1\nversion: 1\n") == (
        "roicli.yaml:2: duplicate key 'version' (first at line 1) (keep only one of them)"
    )
    assert error_for(tmp_path, "version: 1\nkpis: [\n").startswith("roicli.yaml:3: invalid YAML")
    assert error_for(tmp_path, "- just\n- a list\n") == (
        "roicli.yaml:1: expected a mapping with version, sources, kpis and programs"
    )


def test_missing_programmes_and_isolation_inputs(tmp_path: Path) -> None:
    assert error_for(tmp_path, "version: 1\nprograms: []\n") == (
        "roicli.yaml:2: programs: at least one programme is required"
    )
    control = VALID.replace(
        "        confidence: 0.8\n", "        confidence: 0.8\n        isolation: control\n"
    )
    assert error_for(tmp_path, control) == (
        "roicli.yaml:20: programs[0].objectives[0]: isolation: control needs a control_group "
        "(the untrained group)"
    )


def test_config_too_large_and_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "roicli.yaml"
    path.write_bytes(b"version: 1\n# " + b"x" * 1_000_001)
    with pytest.raises(ConfigError, match="more than the 1,000,000 allowed"):
        load_config(path)
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ROICLI_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="no config file found"):
        find_config(None)
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "roicli.yaml").write_text("version: 1\n")
    assert find_config(None) == Path("configs/roicli.yaml")
    (tmp_path / "roicli.yaml").write_text("version: 1\n")
    assert find_config(None) == Path("roicli.yaml")
    monkeypatch.setenv("ROICLI_CONFIG", "elsewhere.yaml")
    assert find_config(None) == Path("elsewhere.yaml")
    assert find_config(Path("explicit.yaml")) == Path("explicit.yaml")


def test_catalogue_kpis_inherit_and_the_config_overrides(tmp_path: Path) -> None:
    from roicli.catalog import get_entry

    text = VALID.replace(
        "  customers: {}\n",
        "  customers: {}\n  cost_per_lead: {unit: USD}\n  marketing_spend: {}\n"
        "  qualified_leads: {}\n  organic_sessions:\n",
    )
    config = load_config(write(tmp_path, text)).config
    catalogue = get_entry("cost_per_lead")
    assert catalogue is not None
    cpl = config.kpis["cost_per_lead"]
    assert cpl.unit == "USD"  # overridden
    assert cpl.label == catalogue.name_en  # inherited
    assert cpl.direction.value == "decrease"
    assert cpl.ratio is not None  # the catalogue's ratio, since the config set no aggregation
    assert (cpl.ratio.numerator, cpl.ratio.denominator) == catalogue.ratio
    assert config.kpis["organic_sessions"].level.value == "impact"  # an empty value inherits too
    assert config.kpis["customers"].label is None  # not a catalogue key: nothing inherited


def test_own_aggregation_drops_the_catalogue_ratio(tmp_path: Path) -> None:
    text = VALID.replace(
        "  customers: {}\n", "  customers: {}\n  cost_per_lead: {aggregation: mean}\n"
    )
    cpl = load_config(write(tmp_path, text)).config.kpis["cost_per_lead"]
    assert cpl.aggregation.value == "mean"
    assert cpl.ratio is None


def test_deadline_before_the_baseline_is_a_config_error(tmp_path: Path) -> None:
    text = VALID.replace("deadline: 2026-07-31", "deadline: 2025-11-30")
    assert error_for(tmp_path, text) == (
        "roicli.yaml:20: programs[0].objectives[0]: the deadline 2025-11-30 is not after the "
        "baseline (which ends 2025-12-31)"
    )
