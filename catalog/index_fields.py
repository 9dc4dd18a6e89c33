"""The products index's field names: one home for the mapping, the document builder and queries.

Invariants:
- Every name here is a field of the mapping in indexer/index_definition.py;
  a field is renamed here or nowhere.
- Full paths (`title.raw`, `attrs_kw.value`, `categories.lvl0`) are built from the
  relative names the mapping and the document write (`raw`, `value`, `lvl0`), so
  the two spellings cannot drift apart.
- Names only: no I/O, and like all of the kernel it imports no app.
"""

from __future__ import annotations

from catalog.products.model import MAX_CATEGORY_DEPTH

# how the index writes a category path; Algolia's hierarchicalMenu uses the same
CATEGORY_SEPARATOR = " > "

# subfields of multi-fields, relative to their field
ENGLISH_SUBFIELD = "en"
AUTOCOMPLETE_SUBFIELD = "autocomplete"
RAW_SUBFIELD = "raw"
TEXT_SUBFIELD = "text"
FOLDED_SUBFIELD = "folded"

# inner fields of the nested attribute pairs, relative to the pair
PAIR_NAME = "name"
PAIR_VALUE = "value"
PAIR_VALUE_RAW = "value_raw"


def subfield(field: str, inner: str) -> str:
    """The full path of a subfield or of a nested document's field: `title.raw`."""
    return f"{field}.{inner}"


ID = "id"
IDENTIFIERS = "identifiers"  # the id, model numbers and EANs (folded keywords)
TITLE = "title"
TITLE_EN = subfield(TITLE, ENGLISH_SUBFIELD)
TITLE_AUTOCOMPLETE = subfield(TITLE, AUTOCOMPLETE_SUBFIELD)
TITLE_RAW = subfield(TITLE, RAW_SUBFIELD)
DESCRIPTION = "description"
DESCRIPTION_EN = subfield(DESCRIPTION, ENGLISH_SUBFIELD)
BRAND = "brand"
# the variant group: the product's group_id, or its own id when it has none (a group of one)
GROUP_ID = "group_id"
BRAND_TEXT = subfield(BRAND, TEXT_SUBFIELD)
BRAND_FOLDED = subfield(BRAND, FOLDED_SUBFIELD)
CATEGORIES = "categories"  # an object of one keyword field per level
CATEGORY_PATHS = "category_paths"  # every full path, joined by CATEGORY_SEPARATOR
CATEGORY_TEXT = "category_text"  # every category name, as full text
PRICE = "price"
SALE_PRICE = "sale_price"
EFFECTIVE_PRICE = "effective_price"
ON_SALE = "on_sale"
STOCK = "stock"
IN_STOCK = "in_stock"
STATUS = "status"
RATING = "rating"
REVIEW_COUNT = "review_count"
CREATED_AT = "created_at"
UPDATED_AT = "updated_at"
VERSION = "version"
IMAGES = "images"
ATTRIBUTES = "attributes"  # as written, for retrieval only
# attributes as nested name/value pairs, so a new attribute never adds a field
ATTRS_KW = "attrs_kw"
ATTRS_KW_NAME = subfield(ATTRS_KW, PAIR_NAME)
ATTRS_KW_VALUE = subfield(ATTRS_KW, PAIR_VALUE)  # folded for matching
ATTRS_KW_VALUE_RAW = subfield(ATTRS_KW, PAIR_VALUE_RAW)  # as written, for display
ATTRS_NUM = "attrs_num"
ATTRS_NUM_NAME = subfield(ATTRS_NUM, PAIR_NAME)
ATTRS_NUM_VALUE = subfield(ATTRS_NUM, PAIR_VALUE)
ATTRS_TEXT = "attrs_text"


def category_level_key(depth: int) -> str:
    """A level's field inside `categories` (`lvl0`..), as the mapping and the document name it."""
    return f"lvl{depth}"


def category_level_field(depth: int) -> str:
    """The keyword field of one category level (`categories.lvl0`..), as queries name it."""
    return subfield(CATEGORIES, category_level_key(depth))


CATEGORY_LEVEL_FIELDS: tuple[str, ...] = tuple(
    category_level_field(depth) for depth in range(MAX_CATEGORY_DEPTH)
)
