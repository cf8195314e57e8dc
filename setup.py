"""The one thing pyproject.toml cannot say to setuptools 64–73: the C extension.

``policyterms._speedups`` (normalize.py's per-character loops) is optional: where no C compiler
is found the build goes on without it and normalize.py does the same work in Python."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("policyterms._speedups", ["policyterms/_speedups.c"], optional=True)])
