"""sopdoc: SOP Administrasi Pemerintahan documents from YAML definitions."""

__version__ = "0.1.0"
