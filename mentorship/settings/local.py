"""A developer's laptop: DEBUG on, SQLite, eager tasks, console mail by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
