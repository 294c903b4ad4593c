"""Realistic demo registers, from a handful of cases to 100,000 (``wuye demo``)."""

from wuye_desktop.services.demo.generate import DemoReport, generate

__all__ = ["DemoReport", "generate"]
