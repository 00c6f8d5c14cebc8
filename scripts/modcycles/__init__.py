"""The parts of scripts/check-module-cycles: lexer, modules (resolution and edges), graph."""
