"""Faults the sandbox injects per provider: latency, transient failures, timeouts.

Set at start by settings.SANDBOX_FAULTS (from the environment) and changed at run time
through /sandbox/api/faults/, which writes a Fault row per provider: every process and
thread serving the sandbox reads that row, so the development server and a standalone
sandbox agree. A row wins over the settings; deleting it goes back to them.

The keys, the same in SANDBOX_FAULTS and in the JSON API:

    latency           seconds, fixed ("2") or a range ("2-3"), before every answer
    failure_rate      share of requests answered with a transient error (0..1 or "50%")
    failure_statuses  which statuses those are, e.g. "500/503/429" (the default)
    timeout_rate      share of requests that hang for timeout_seconds, then answer 504
    timeout_seconds   default 40: longer than any client timeout in this project
    undelivered_rate  share of accepted messages that end undelivered (Twilio) or bounced (email)
    seed              makes the random choices repeatable

SANDBOX_FAULTS is "provider:key=value,key=value;provider:..." ("*" for every provider),
or the same as JSON: {"twilio": {"latency": "2-3"}}.
"""

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.models import Fault, Provider

PROVIDERS = tuple(Provider.values)
DEFAULT_STATUSES = (500, 503, 429)
DEFAULT_TIMEOUT_SECONDS = 40.0


@dataclass(frozen=True)
class FaultConfig:
    latency_min: float = 0.0
    latency_max: float = 0.0
    failure_rate: float = 0.0
    failure_statuses: tuple[int, ...] = DEFAULT_STATUSES
    timeout_rate: float = 0.0
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    undelivered_rate: float = 0.0
    seed: int | None = None

    @classmethod
    def from_spec(cls, spec: dict) -> "FaultConfig":
        """Reads the keys of the module docstring; raises ValueError on anything else."""
        spec = dict(spec)
        fields = {}
        if "latency" in spec:
            fields["latency_min"], fields["latency_max"] = parse_latency(spec.pop("latency"))
        for name in ("failure_rate", "timeout_rate", "undelivered_rate"):
            if name in spec:
                fields[name] = parse_share(name, spec.pop(name))
        if "failure_statuses" in spec:
            fields["failure_statuses"] = parse_statuses(spec.pop("failure_statuses"))
        if "timeout_seconds" in spec:
            fields["timeout_seconds"] = parse_seconds("timeout_seconds", spec.pop("timeout_seconds"))
        if "seed" in spec:
            seed = spec.pop("seed")
            fields["seed"] = None if seed in (None, "") else int(seed)
        if spec:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(spec))}")
        return cls(**fields)

    @classmethod
    def from_row(cls, row: Fault) -> "FaultConfig":
        fields = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        fields["failure_statuses"] = tuple(row.failure_statuses)
        return cls(**fields)

    def as_row_fields(self) -> dict:
        return {**asdict(self), "failure_statuses": list(self.failure_statuses)}

    def as_json(self) -> dict:
        fields = self.as_row_fields()
        return {"latency": [fields.pop("latency_min"), fields.pop("latency_max")], **fields}


def parse_latency(value) -> tuple[float, float]:
    if isinstance(value, list | tuple):
        low, high = value if len(value) == 2 else (value[0], value[0])
    elif isinstance(value, str) and "-" in value.strip().lstrip("-"):
        low, high = value.split("-", 1)
    else:
        low = high = value
    low, high = parse_seconds("latency", low), parse_seconds("latency", high)
    if high < low:
        raise ValueError("latency: the range must go from low to high")
    return low, high


def parse_seconds(name: str, value) -> float:
    try:
        seconds = float(str(value).strip().removesuffix("s"))
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a number of seconds") from None
    if seconds < 0:
        raise ValueError(f"{name}: seconds cannot be negative")
    return seconds


def parse_share(name: str, value) -> float:
    text = str(value).strip()
    try:
        share = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a share (0..1 or a percentage)") from None
    if not 0 <= share <= 1:
        raise ValueError(f"{name}: a share is between 0 and 1")
    return share


def parse_statuses(value) -> tuple[int, ...]:
    items = value if isinstance(value, list | tuple) else str(value).replace("|", "/").replace(" ", "/").split("/")
    try:
        statuses = tuple(int(item) for item in items if str(item).strip())
    except ValueError:
        raise ValueError(f"failure_statuses: {value!r} is not a list of HTTP statuses") from None
    if not statuses or any(not 400 <= status <= 599 for status in statuses):
        raise ValueError("failure_statuses: give one or more statuses from 400 to 599")
    return statuses


def parse_faults(value: str | dict) -> dict[str, FaultConfig]:
    """SANDBOX_FAULTS as a FaultConfig per provider; raises ValueError."""
    if isinstance(value, str):
        value = value.strip()
        specs = json.loads(value) if value.startswith("{") else parse_compact(value)
    else:
        specs = value
    faults = {}
    for provider, spec in specs.items():
        for name in PROVIDERS if provider in ("*", "all") else (provider,):
            if name not in PROVIDERS:
                raise ValueError(f"unknown provider {name!r} (one of {', '.join(PROVIDERS)} or *)")
            faults[name] = FaultConfig.from_spec(spec)
    return faults


def parse_compact(value: str) -> dict[str, dict]:
    specs = {}
    for part in filter(None, (part.strip() for part in value.split(";"))):
        provider, _, settings_part = part.partition(":")
        spec = specs.setdefault(provider.strip(), {})
        for item in filter(None, (item.strip() for item in settings_part.split(","))):
            key, equals, item_value = item.partition("=")
            if not equals:
                raise ValueError(f"{item!r}: expected key=value")
            spec[key.strip()] = item_value.strip()
    return specs


def configured_faults() -> dict[str, FaultConfig]:
    try:
        return parse_faults(settings.SANDBOX_FAULTS)
    except (ValueError, TypeError, AttributeError) as error:
        raise ImproperlyConfigured(f"SANDBOX_FAULTS: {error}") from error


def current(provider: str) -> tuple[FaultConfig, str]:
    """The faults in force for `provider` and where they come from: runtime, settings or none."""
    row = Fault.objects.filter(provider=provider).first()
    if row is not None:
        return FaultConfig.from_row(row), "runtime"
    config = configured_faults().get(provider)
    return (config, "settings") if config else (FaultConfig(), "none")


def set_faults(provider: str, config: FaultConfig) -> None:
    Fault.objects.update_or_create(provider=provider, defaults=config.as_row_fields())


def reset_faults(provider: str | None = None) -> None:
    rows = Fault.objects.all() if provider is None else Fault.objects.filter(provider=provider)
    rows.delete()


# A seeded generator per provider and process: a seeded run repeats its choices. Setting
# the faults again restarts the sequence, because the version holds the row's time.
_generators: dict[str, tuple[tuple, random.Random]] = {}
_generators_lock = threading.Lock()
_unseeded = random.Random()


def generator(provider: str, config: FaultConfig) -> random.Random:
    if config.seed is None:
        return _unseeded
    row_version = Fault.objects.filter(provider=provider).values_list("updated_at", flat=True).first()
    version = (config.seed, row_version)
    with _generators_lock:
        known = _generators.get(provider)
        if known is None or known[0] != version:
            known = _generators[provider] = (version, random.Random(config.seed))
        return known[1]


def inject(provider: str, transient_error: Callable[[int], HttpResponse]) -> HttpResponse | None:
    """Sleeps and fails as configured; an error response, or None to answer normally."""
    config, _ = current(provider)
    if config == FaultConfig():
        return None
    rng = generator(provider, config)
    if config.latency_max:
        time.sleep(rng.uniform(config.latency_min, config.latency_max))
    if config.timeout_rate and rng.random() < config.timeout_rate:
        time.sleep(config.timeout_seconds)  # the client has given up by now
        return transient_error(504)
    if config.failure_rate and rng.random() < config.failure_rate:
        return transient_error(rng.choice(config.failure_statuses))
    return None


def ends_undelivered(provider: str) -> bool:
    config, _ = current(provider)
    return bool(config.undelivered_rate) and generator(provider, config).random() < config.undelivered_rate


def provider_api(
    provider: str,
    transient_error: Callable[[int], HttpResponse],
    record_failure: Callable[..., None] | None = None,
):
    """Marks a view as part of `provider`'s API: called by SDKs without CSRF tokens, and faulty on request.

    `record_failure(request, response, **url_kwargs)` puts what an injected failure refused
    in the inbox, so a tester (or a test) sees that it happened and what it was.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            failure = inject(provider, transient_error)
            if failure is None:
                return view(request, *args, **kwargs)
            if record_failure is not None:
                record_failure(request, failure, **kwargs)
            return failure

        return csrf_exempt(wrapped)

    return decorate
