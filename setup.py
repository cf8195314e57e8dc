"""The one thing pyproject.toml cannot say to setuptools 64–73: the C extension.

``policyterms._speedups`` (the per-character loops of normalize.py, and match.py's sentence ends)
is optional: where no C compiler is found the build goes on without it, and those modules do the
same work in Python."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("policyterms._speedups", ["policyterms/_speedups.c"], optional=True)])
