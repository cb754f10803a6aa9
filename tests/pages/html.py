"""Reading the pages' HTML in client tests: what a field's block says, next to its input."""

from django.test.html import Element, parse_html


def _walk(element):
    yield element
    for child in getattr(element, "children", []):
        if isinstance(child, Element):
            yield from _walk(child)


def _text(element) -> str:
    if isinstance(element, str):
        return element
    return " ".join(_text(child) for child in element.children)


def _classes(element) -> set[str]:
    return set(dict(element.attributes).get("class", "").split())


def _contains_id(element, element_id: str) -> bool:
    return any(dict(e.attributes).get("id") == element_id for e in _walk(element))


def block_text(html: str, element_id: str, block_class: str = "field") -> str:
    """The text of the innermost element of class `block_class` that holds the element
    with id `element_id`: a field's label, help, errors and input together."""
    blocks = [e for e in _walk(parse_html(html)) if block_class in _classes(e) and _contains_id(e, element_id)]
    assert blocks, f"no .{block_class} around #{element_id}"
    return " ".join(_text(blocks[-1]).split())


def attributes(html: str, element_id: str) -> dict:
    for element in _walk(parse_html(html)):
        attrs = dict(element.attributes)
        if attrs.get("id") == element_id:
            return attrs
    raise AssertionError(f"no #{element_id}")
