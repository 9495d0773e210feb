#!/usr/bin/env python3
"""Writes the small synthetic datasets the examples import.

    python3 examples/data/generate.py

rewrites every CSV under examples/data/ byte for byte (fixed seed, fixed base
time, Python 3 standard library only, nothing read from the clock or the
environment). The files are what `import: {from: s3://pzr-examples/...}` in
examples/retail.yaml, video.yaml and custom.yaml name; their
`sandbox.buckets` maps the bucket `pzr-examples` to this directory, so
`s3://pzr-examples/retail/interactions.csv` is `retail/interactions.csv` here.

What it makes, one directory per example, each CSV matching that example's
schema in examples/avro/ (or, for video's users, the schema written inline in
video.yaml): the header names the schema's fields, every value parses as its
Avro type (nullable fields are sometimes left empty), TIMESTAMP and
CREATION_TIMESTAMP are Unix epoch seconds counted from BASE_TIME.

    retail/  interactions.csv  View and Purchase events (ECOMMERCE)
             items.csv, users.csv
    video/   interactions.csv  Watch and Click events (VIDEO_ON_DEMAND)
             items.csv, users.csv
    custom/  interactions.csv  View and Purchase events (custom group)
             items.csv, actions.csv, action-interactions.csv
                               TAKEN, NOT_TAKEN and VIEWED (Next-Best-Action)

Why these sizes: Amazon Personalize refuses to train below its minimums
(https://docs.aws.amazon.com/personalize/latest/dg/limits.html): at least
1000 item interactions per dataset import job and for training, counted
after the event type a recommender's use case or a solution filters on, and
at least 25 users with 2 or more interactions each. So every event type a
use case counts gets about 1500 events (margin over 1000), e.g. `View` for
aws-ecomm-popular-items-by-views (retail) and `Watch` for the VIDEO_ON_DEMAND
use cases that count it (video); there are 100 users, each with well over 2
interactions, and 200 items (for the use cases that train on items, such as
aws-vod-top-picks). Next-Best-Action scores an action only once it has at
least 50 TAKEN and 50 NOT_TAKEN or VIEWED interactions within 6 weeks of the
latest one (action-interactions-datasets.html), so each of the 10 actions
gets more than that, all within 30 days. Every file stays under 100 KB.

Only `random.Random(SEED).random()` is drawn from (never randint, choice,
sample or shuffle, whose algorithms have changed between Python versions),
and floats are formatted explicitly, so any Python 3 writes the same bytes.
The script checks the minimums itself and fails if they are not met.
"""

import csv
import os
import random
from bisect import bisect_right

SEED = 20250101
# 2025-01-01T00:00:00Z: every timestamp is counted from here, never from now.
BASE_TIME = 1735689600
DAY = 86400

USERS = 100
ITEMS = 200
ACTIONS = 10
# The minimum Personalize asks of an event type, and the margin kept over it.
MIN_EVENTS = 1000
MIN_USERS_WITH_TWO = 25

HERE = os.path.dirname(os.path.abspath(__file__))


class Draw:
    """Deterministic draws built on `random()` alone."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def unit(self):
        return self.rng.random()

    def below(self, n):
        """An int in [0, n)."""
        return min(int(self.unit() * n), n - 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, p):
        return self.unit() < p


class Weighted:
    """Picks index i with probability proportional to weights[i]."""

    def __init__(self, weights):
        self.cumulative = []
        total = 0.0
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.total = total

    def pick(self, draw):
        i = bisect_right(self.cumulative, draw.unit() * self.total)
        return min(i, len(self.cumulative) - 1)


def zipf(n, s):
    """Long-tailed popularity: a few items (or very active users) dominate."""
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def a(words):
    """`words` after "a" or "an"."""
    return ("an " if words[0] in "aeiou" else "a ") + words


def user_id(i):
    return "u%04d" % (i + 1)


def write(relative, header, rows):
    path = os.path.join(HERE, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    return path


def interactions(draw, n_users, n_items, counts, later, days):
    """Events of users with items, as (user, item, timestamp, event type).

    `counts` maps each primary event type (drawn on its own, by user activity
    and item popularity) to how many; `later` maps each follow-up type (a
    Purchase after a View, a Watch after a Click) to (the type it follows,
    how many): it happens to an earlier event's user and item, up to two days
    after. Every user gets at least two events before the rest are drawn.
    """
    users = Weighted(zipf(n_users, 0.6))
    items = Weighted(zipf(n_items, 0.9))
    span = days * DAY
    events = []
    for event_type, n in counts.items():
        for k in range(n):
            # The first two rounds give every user an event each.
            u = k % n_users if k < 2 * n_users else users.pick(draw)
            events.append((u, items.pick(draw), BASE_TIME + draw.below(span), event_type))
    for event_type, (after, n) in later.items():
        earlier = [e for e in events if e[3] == after]
        for _ in range(n):
            u, i, ts, _ = draw.pick(earlier)
            ts = min(ts + 60 + draw.below(2 * DAY), BASE_TIME + span - 1)
            events.append((u, i, ts, event_type))
    events.sort(key=lambda e: (e[2], e[0], e[1], e[3]))
    return events


def check(name, events, needed):
    """Fails unless `events` meet Personalize's minimums for `needed` types."""
    per_user = {}
    per_type = {}
    for e in events:
        per_user[e[0]] = per_user.get(e[0], 0) + 1
        per_type[e[3]] = per_type.get(e[3], 0) + 1
    assert len(events) >= MIN_EVENTS, (name, len(events))
    two = sum(1 for n in per_user.values() if n >= 2)
    assert two >= MIN_USERS_WITH_TWO, (name, two)
    for event_type in needed:
        assert per_type.get(event_type, 0) >= MIN_EVENTS, (name, event_type, per_type)
    print(
        "%s: %d events (%s), %d users with 2 or more"
        % (name, len(events), ", ".join("%s %d" % kv for kv in sorted(per_type.items())), two)
    )


def created(draw):
    """A CREATION_TIMESTAMP in the year before BASE_TIME."""
    return BASE_TIME - DAY - draw.below(365 * DAY)


# --- retail (ECOMMERCE) -----------------------------------------------------

RETAIL_CATEGORIES = {
    "apparel": ["shirts", "trousers", "jackets", "shoes"],
    "home": ["kitchen", "bedding", "lighting"],
    "electronics": ["audio", "phones", "cameras"],
    "outdoors": ["camping", "cycling"],
    "beauty": ["skincare", "fragrance"],
}
# What one item of a category (CATEGORY_L2, else CATEGORY_L1) is called.
NOUNS = {
    "shirts": "shirt", "trousers": "pair of trousers", "jackets": "jacket", "shoes": "pair of shoes",
    "kitchen": "kitchen tool", "bedding": "duvet cover", "lighting": "lamp",
    "audio": "speaker", "phones": "phone case", "cameras": "camera strap",
    "camping": "tent", "cycling": "bike light", "skincare": "moisturiser", "fragrance": "perfume",
    "apparel": "garment", "home": "homeware item", "electronics": "gadget",
    "outdoors": "outdoor item", "beauty": "beauty product",
}
ADJECTIVES = ["classic", "lightweight", "recycled", "compact", "premium", "everyday", "soft", "sturdy"]
DEVICES = ["mobile", "desktop", "tablet"]
MEMBERSHIPS = ["basic", "silver", "gold"]


def retail(draw):
    categories = sorted(RETAIL_CATEGORIES)
    items = []
    for i in range(ITEMS):
        l1 = categories[i % len(categories)]
        l2 = draw.pick(RETAIL_CATEGORIES[l1]) if draw.chance(0.9) else ""
        price = 5 + draw.below(19500) / 100.0
        words = "%s %s" % (draw.pick(ADJECTIVES), NOUNS[l2 or l1])
        # Some descriptions hold commas and quotes, quoted as CSV requires.
        description = (
            '%s, "%s" edition' % (a(words).capitalize(), draw.pick(ADJECTIVES)) if draw.chance(0.3)
            else ("%s from the %s range" % (a(words).capitalize(), l1) if draw.chance(0.8) else "")
        )
        items.append(["i%04d" % (i + 1), "%.2f" % price, l1, l2, description, created(draw)])
    write(
        "retail/items.csv",
        ["ITEM_ID", "PRICE", "CATEGORY_L1", "CATEGORY_L2", "PRODUCT_DESCRIPTION", "CREATION_TIMESTAMP"],
        items,
    )
    prices = {row[0]: row[1] for row in items}

    users = []
    for u in range(USERS):
        membership = draw.pick(MEMBERSHIPS) if draw.chance(0.85) else ""
        age = str(18 + draw.below(60)) if draw.chance(0.8) else ""
        users.append([user_id(u), membership, age])
    write("retail/users.csv", ["USER_ID", "MEMBERSHIP_STATUS", "AGE"], users)

    # aws-ecomm-popular-items-by-views counts View; recommended-for-you any
    # type (View and Purchase recommended); the not-purchased filter reads
    # Purchase (filters match event types ignoring case).
    events = interactions(draw, USERS, ITEMS, {"View": 1500}, {"Purchase": ("View", 450)}, 60)
    check("retail interactions", events, ["View"])
    rows = []
    for u, i, ts, event_type in events:
        item = "i%04d" % (i + 1)
        value = prices[item] if event_type == "Purchase" else ""
        device = draw.pick(DEVICES) if draw.chance(0.9) else ""
        rows.append([user_id(u), item, ts, event_type, value, device])
    write(
        "retail/interactions.csv",
        ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "DEVICE"],
        rows,
    )


# --- video (VIDEO_ON_DEMAND) --------------------------------------------------

GENRES = ["Action", "Comedy", "Drama", "Documentary", "Animation", "Thriller", "Romance", "Sci-Fi"]
SUBSCRIPTIONS = ["free", "standard", "premium"]
COUNTRIES = ["US", "GB", "DE", "FR", "IE", "ES"]
MOODS = ["gripping", "gentle", "funny", "dark", "uplifting", "slow-burning"]


def video(draw):
    items = []
    for i in range(ITEMS):
        first = draw.below(len(GENRES))
        genres = [GENRES[first]]
        if draw.chance(0.4):
            genres.append(GENRES[(first + 1 + draw.below(len(GENRES) - 1)) % len(GENRES)])
        year = str(1970 + draw.below(55)) if draw.chance(0.9) else ""
        parts = 1 + draw.below(3)
        description = (
            "%s %s title, told in %s" % (a(draw.pick(MOODS)).capitalize(), genres[0].lower(),
                                   "one part" if parts == 1 else "%d parts" % parts)
            if draw.chance(0.8) else ""
        )
        items.append(["v%04d" % (i + 1), "|".join(genres), year, description, created(draw)])
    write("video/items.csv", ["ITEM_ID", "GENRES", "YEAR", "DESCRIPTION", "CREATION_TIMESTAMP"], items)

    users = []
    for u in range(USERS):
        country = draw.pick(COUNTRIES) if draw.chance(0.9) else ""
        users.append([user_id(u), draw.pick(SUBSCRIPTIONS), country])
    write("video/users.csv", ["USER_ID", "SUBSCRIPTION_MODEL", "COUNTRY"], users)

    # aws-vod-top-picks trains on 1000 events of any type (Click and Watch
    # recommended); Watch gets 1500, as aws-vod-most-popular and
    # because-you-watched-x count it, should a recommender of them be added.
    # A Watch follows a Click on the same title (some titles are watched
    # more than once).
    events = interactions(draw, USERS, ITEMS, {"Click": 1100}, {"Watch": ("Click", 1500)}, 60)
    check("video interactions", events, ["Click", "Watch"])
    rows = []
    for u, i, ts, event_type in events:
        # EVENT_VALUE: the share of the title watched.
        value = "%.2f" % (0.05 + draw.below(96) / 100.0) if event_type == "Watch" else ""
        rows.append([user_id(u), "v%04d" % (i + 1), ts, event_type, value])
    write("video/interactions.csv", ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"], rows)


# --- custom (Next-Best-Action) -----------------------------------------------

OFFER_CATEGORIES = ["subscription", "accessory", "service", "gift-card"]
CHANNELS = ["email", "sms", "push", "web"]


def custom(draw):
    items = []
    for i in range(ITEMS):
        category = draw.pick(OFFER_CATEGORIES) if draw.chance(0.9) else ""
        items.append(["p%04d" % (i + 1), category, created(draw)])
    write("custom/items.csv", ["ITEM_ID", "CATEGORY", "CREATION_TIMESTAMP"], items)

    # No EXPIRATION_TIMESTAMP: an expired action is never recommended, and
    # any fixed date would expire while the example is still in use.
    actions = []
    for a in range(ACTIONS):
        value = str(5 + draw.below(96)) if draw.chance(0.8) else ""
        repeat = str(7 * (1 + draw.below(4))) if draw.chance(0.5) else ""
        channel = CHANNELS[a % len(CHANNELS)]
        actions.append(["a%02d" % (a + 1), value, "", repeat, channel, created(draw)])
    write(
        "custom/actions.csv",
        ["ACTION_ID", "VALUE", "EXPIRATION_TIMESTAMP", "REPEAT_FREQUENCY", "CHANNEL", "CREATION_TIMESTAMP"],
        actions,
    )

    # The solution (aws-next-best-action) sets no eventType: training reads
    # every item interaction.
    events = interactions(draw, USERS, ITEMS, {"View": 1500}, {"Purchase": ("View", 450)}, 60)
    check("custom interactions", events, ["View"])
    write(
        "custom/interactions.csv",
        ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"],
        [[user_id(u), "p%04d" % (i + 1), ts, t] for u, i, ts, t in events],
    )

    # Per action: 60 TAKEN, 40 NOT_TAKEN, 40 VIEWED (over the 50 TAKEN and 50
    # NOT_TAKEN or VIEWED an action needs for a score), within 30 days.
    rows = []
    for a in range(ACTIONS):
        for event_type, n in (("TAKEN", 60), ("NOT_TAKEN", 40), ("VIEWED", 40)):
            for k in range(n):
                u = (a * 37 + k) % USERS if k < 10 else draw.below(USERS)
                rows.append((u, a, BASE_TIME + 30 * DAY + draw.below(30 * DAY), event_type))
    rows.sort(key=lambda r: (r[2], r[0], r[1], r[3]))
    per_action = {}
    for _, a, _, t in rows:
        taken, other = per_action.get(a, (0, 0))
        per_action[a] = (taken + 1, other) if t == "TAKEN" else (taken, other + 1)
    assert all(t >= 50 and o >= 50 for t, o in per_action.values()), per_action
    check("custom action interactions", rows, [])
    write(
        "custom/action-interactions.csv",
        ["USER_ID", "ACTION_ID", "TIMESTAMP", "EVENT_TYPE"],
        [[user_id(u), "a%02d" % (a + 1), ts, t] for u, a, ts, t in rows],
    )


def main():
    # One stream per example, so changing one leaves the others' bytes alone.
    retail(Draw(SEED))
    video(Draw(SEED + 1))
    custom(Draw(SEED + 2))


if __name__ == "__main__":
    main()
