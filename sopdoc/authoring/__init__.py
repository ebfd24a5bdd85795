"""The write side of definitions: edit YAML files in place, keeping their comments and layout."""
