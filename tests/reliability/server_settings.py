"""The test settings for a server process of ours, as Django's test runner runs them:
DEBUG off (so errors get their real pages, not debug pages), the rest unchanged."""

from bookings_project.settings_test import *  # noqa: F403

DEBUG = False
