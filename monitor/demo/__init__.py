"""The offline world: a fixture web, a fixture Ofsted site, report PDFs and the scripted demo.

Tests, benchmarks and ``monitor demo`` use it; the product's modules never import it.
"""
