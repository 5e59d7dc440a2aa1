"""The hot-key simulation: a synthetic day of the whole governorate at 10× its peak.

Every unit is switched on. On the peak day (assumptions.PEAK_DAY_FACTOR × an average
working day, × GROWTH_FACTOR), each hour's operations arrive at random seconds (a Poisson
number of each kind per district and hour, shaped by HOURLY_SHARE); each operation charges
what its recorded footprint charged, the real services having built the real keys
(footprints.py). For every shared partition key of every table and index the busiest second
of the day is kept, in write and read units, with the sweeper's reads every five minutes
and the nightly reconciliation's read of the day's ledger. A key above half of a
partition's limits (1,000 write units, 3,000 read units a second) is hot.

A key only one request touches sees that request's operations alone: its busiest second is
its largest single operation (two operations on one request in the same second, a double
click, would make two).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from capacity import assumptions as a
from capacity.demand import average_day, operations_per_application
from capacity.footprints import Footprint, Recording

READ_UNITS_PER_MB_PAGE = 1_048_576 / 4096 / 2  # an index query is eventually consistent


@dataclass(frozen=True)
class KeyPeak:
    target: str  # table, or table/index
    key: str
    write_units: float  # in its busiest second for writes
    read_units: float  # in its busiest second for reads
    hour: int  # the Cairo hour of the busiest second (of whichever is nearer its limit)

    @property
    def load(self) -> float:
        """How near the key comes to a partition's limits (1.0 = at the limit)."""
        return max(self.write_units / a.PARTITION_WRITE_UNITS.value, self.read_units / a.PARTITION_READ_UNITS.value)


@dataclass(frozen=True)
class HotKeyReport:
    factor: float
    applications: float  # on the simulated day
    operations: int
    districts: int
    keys: list[KeyPeak]  # shared keys, hottest first
    own_keys: dict[str, tuple[float, float]]  # target -> largest single operation (write, read units)

    @property
    def hottest(self) -> KeyPeak:
        return self.keys[0]

    @property
    def hot(self) -> list[KeyPeak]:
        return [key for key in self.keys if key.load > a.HOT_SHARE.value]


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def simulate_day(recording: Recording, factor: float | None = None, seed: int = 15) -> HotKeyReport:
    factor = a.GROWTH_FACTOR.value if factor is None else factor
    rng = random.Random(seed)
    demand = average_day()
    day_scale = a.PEAK_DAY_FACTOR.value * factor
    shared = recording.shared_keys()
    pools: dict[tuple[str, str], list[Footprint]] = defaultdict(list)
    for footprint in recording.footprints:
        pools[(footprint.kind, footprint.district)].append(footprint)
    # The sweeper belongs to no district: it runs on its own clock (_periodic_reads).
    districts = sorted({footprint.district for footprint in recording.footprints if footprint.kind != "sweep"})

    write_peaks: dict[tuple[str, str], tuple[float, int]] = {}
    read_peaks: dict[tuple[str, str], tuple[float, int]] = {}
    own: dict[str, tuple[float, float]] = defaultdict(lambda: (0.0, 0.0))
    operations = 0
    for hour, share in a.HOURLY_SHARE.items():
        writes: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
        reads: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for district in districts:
            applications = demand.in_district(district) * day_scale
            submitted = len(pools[("submit", district)])
            deliveries = len(pools[("deliver", district)]) / max(submitted, 1)
            for kind, per_application in operations_per_application(demand.fee_share(district), deliveries).items():
                pool = pools.get((kind, district))
                if not pool:
                    continue
                for _ in range(poisson(rng, applications * per_application * share.value)):
                    operations += 1
                    footprint, second = rng.choice(pool), rng.randrange(3600)
                    _charge(footprint.writes, writes, second, shared, own, 0)
                    _charge(footprint.reads, reads, second, shared, own, 1)
        _periodic_reads(recording, reads, hour)
        _fold(writes, write_peaks, hour)
        _fold(reads, read_peaks, hour)
    _reconciliation(recording, demand.total() * day_scale * demand.fee_share(), read_peaks)

    keys = []
    for key in set(write_peaks) | set(read_peaks):
        write, write_hour = write_peaks.get(key, (0.0, 0))
        read, read_hour = read_peaks.get(key, (0.0, 0))
        writes_nearer = write / a.PARTITION_WRITE_UNITS.value >= read / a.PARTITION_READ_UNITS.value
        nearer = write_hour if writes_nearer else read_hour
        keys.append(KeyPeak(key[0], key[1], write, read, nearer))
    keys.sort(key=lambda peak: (-peak.load, peak.target, peak.key))
    return HotKeyReport(
        factor=factor,
        applications=sum(demand.in_district(district) for district in districts) * day_scale,
        operations=operations,
        districts=len(districts),
        keys=keys,
        own_keys=dict(own),
    )


def _charge(
    units: dict[tuple[str, str], float],
    buckets: dict[tuple[str, str], dict[int, float]],
    second: int,
    shared: set[tuple[str, str]],
    own: dict[str, tuple[float, float]],
    which: int,
) -> None:
    for key, amount in units.items():
        if key in shared:
            buckets[key][second] += amount
        else:
            largest = list(own[key[0]])
            largest[which] = max(largest[which], amount)
            own[key[0]] = (largest[0], largest[1])


def _periodic_reads(recording: Recording, reads: dict[tuple[str, str], dict[int, float]], hour: int) -> None:
    """The sweeper's query of the waiting messages, every SWEEP_EVERY_SECONDS."""
    sweeps = [footprint for footprint in recording.footprints if footprint.kind == "sweep"]
    if not sweeps:
        return
    for second in range(0, 3600, int(a.SWEEP_EVERY_SECONDS.value)):
        for key, amount in sweeps[0].reads.items():
            reads[key][second] += amount


def _reconciliation(recording: Recording, notices: float, read_peaks: dict[tuple[str, str], tuple[float, int]]) -> None:
    """At 00:30 the day's ledger is read page after page: the partition's busiest second reads
    a page's worth each RECONCILIATION_PAGE_SECONDS, or the whole day if it is smaller."""
    total = notices * recording.reconcile_read_units_per_notice
    per_second = min(total, READ_UNITS_PER_MB_PAGE / a.RECONCILIATION_PAGE_SECONDS.value)
    key = ("payments/ledger", "<the day reconciled>")
    if per_second > read_peaks.get(key, (0.0, 0))[0]:
        read_peaks[key] = (per_second, 0)


def _fold(
    buckets: dict[tuple[str, str], dict[int, float]], peaks: dict[tuple[str, str], tuple[float, int]], hour: int
) -> None:
    for key, seconds in buckets.items():
        busiest = max(seconds.values())
        if busiest > peaks.get(key, (0.0, 0))[0]:
            peaks[key] = (busiest, hour)
