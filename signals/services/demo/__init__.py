"""The demo municipality Lindeveen: `load_demo` is the entry point."""

from signals.services.demo.loader import DemoResult, load_demo

__all__ = ["DemoResult", "load_demo"]
