"""The product record as editors send it, validated at the edge (contract: Product record)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
ATTRIBUTE_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
MAX_PRICE = 10_000_000
MAX_ATTRIBUTES = 100
MAX_ATTRIBUTE_LIST = 100
MAX_ATTRIBUTE_STRING = 1000
MAX_CATEGORY_PATHS = 20
MAX_CATEGORY_DEPTH = 6
MAX_IMAGES = 50
MAX_THUMBNAILS = 20
IMAGE_ID_PATTERN = r"^[0-9a-f]{64}$"
MAX_SAFE_INTEGER = 2**53


def _unicode(value: str) -> str:
    # JSON may escape lone surrogates ("\ud800"); no store can encode them
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (lone surrogate found)") from None
    return value


Unicode = AfterValidator(_unicode)
Status = Literal["active", "draft", "archived"]
ProductId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
AttributeName = Annotated[str, StringConstraints(pattern=ATTRIBUTE_NAME_PATTERN)]
CategoryName = Annotated[str, StringConstraints(min_length=1, max_length=200), Unicode]
CategoryPath = Annotated[list[CategoryName], Field(min_length=1, max_length=MAX_CATEGORY_DEPTH)]


def _has_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must contain more than white space")
    return value


def _json_number(value: object) -> object:
    # JSON numbers only: no numeric strings, and booleans are not numbers
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
        raise ValueError("integers must lie within ±2^53, exact in every JSON client")
    return value


def _json_integer(value: object) -> object:
    # JSON has one number type: 12.0 is the integer 12, "12" and true are not
    number = _json_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError("must be a whole number")
        return int(number)
    return number


def _cents(value: float) -> float:
    # a client's float arithmetic may leave 19.990000000000002; that is still 19.99
    cents = value * 100
    if abs(cents - round(cents)) > 1e-6:
        raise ValueError("must have at most 2 decimal places")
    return round(value, 2)


def _attribute_value(value: object) -> AttributeScalar | list[str]:
    if isinstance(value, bool | str):
        if isinstance(value, str) and len(value) > MAX_ATTRIBUTE_STRING:
            raise ValueError(f"a string attribute has at most {MAX_ATTRIBUTE_STRING} characters")
        return _unicode(value) if isinstance(value, str) else value
    if isinstance(value, int | float):
        return _json_number(value)  # type: ignore[return-value]
    if isinstance(value, list):
        if len(value) > MAX_ATTRIBUTE_LIST:
            raise ValueError(f"a list attribute has at most {MAX_ATTRIBUTE_LIST} values")
        if not all(isinstance(v, str) and len(v) <= MAX_ATTRIBUTE_STRING for v in value):
            raise ValueError("a list attribute holds strings of at most 1000 characters")
        return [_unicode(v) for v in value]
    raise ValueError("must be a string, a number, a boolean or a list of strings")


AttributeScalar = str | int | float | bool
Money = Annotated[
    float,
    Field(ge=0, le=MAX_PRICE, json_schema_extra={"multipleOf": 0.01}),
    BeforeValidator(_json_number),
    AfterValidator(_cents),
]
Count = Annotated[int, Field(ge=0, le=MAX_SAFE_INTEGER), BeforeValidator(_json_integer)]
_ATTRIBUTE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "maxLength": MAX_ATTRIBUTE_STRING},
        {"type": "number"},
        {"type": "boolean"},
        {
            "type": "array",
            "maxItems": MAX_ATTRIBUTE_LIST,
            "items": {"type": "string", "maxLength": MAX_ATTRIBUTE_STRING},
        },
    ]
}
AttributeValue = Annotated[
    AttributeScalar | list[str],
    PlainValidator(_attribute_value),
    WithJsonSchema(_ATTRIBUTE_SCHEMA),
]


ImageUrl = Annotated[
    str,
    StringConstraints(pattern=r"^https?://\S+$", max_length=2000),
    Unicode,
]
Pixels = Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_json_integer)]


class Thumbnail(BaseModel):
    """One resized copy of an uploaded image (made by the workers)."""

    model_config = ConfigDict(extra="forbid")

    url: ImageUrl
    width: Pixels
    height: Pixels
    content_type: Literal["image/webp", "image/jpeg"]


class Image(BaseModel):
    """One product image: an external `{url, alt}`, or an upload with its id, size, thumbnails."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, StringConstraints(pattern=IMAGE_ID_PATTERN)] | None = Field(
        None, description="sha256 of the stored original (uploads only)"
    )
    url: ImageUrl
    alt: Annotated[str, StringConstraints(max_length=500), Unicode] | None = None
    width: Pixels | None = None
    height: Pixels | None = None
    thumbnails: Annotated[list[Thumbnail], Field(max_length=MAX_THUMBNAILS)] | None = None


class ProductFields(BaseModel):
    """What an editor owns in a product: everything but the id and server-managed fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    title: Annotated[
        str, StringConstraints(min_length=1, max_length=500), AfterValidator(_has_text)
    ]
    description: Annotated[str, StringConstraints(max_length=50_000)] | None = None
    brand: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    categories: Annotated[list[CategoryPath], Field(max_length=MAX_CATEGORY_PATHS)] = []
    group_id: ProductId | None = Field(
        None,
        description="the variant group (colours or sizes of one model): products sharing it "
        "show as one hit where a search groups them (`distinct`, `group=true`)",
    )
    price: Money
    sale_price: Money | None = None
    stock: Count = 0
    status: Status = "active"
    attributes: Annotated[
        dict[AttributeName, AttributeValue],
        Field(max_length=MAX_ATTRIBUTES, json_schema_extra={"additionalProperties": False}),
    ] = {}
    images: Annotated[list[Image], Field(max_length=MAX_IMAGES)] = []
    rating: Annotated[float, Field(ge=0, le=5), BeforeValidator(_json_number)] | None = None
    review_count: Count | None = None

    @model_validator(mode="after")
    def _sale_not_above_price(self) -> ProductFields:
        if self.sale_price is not None and self.sale_price > self.price:
            raise ValueError("sale_price must not exceed price")
        return self

    def public_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready data, leaving out those that are not set."""
        return self.model_dump(mode="json", exclude_none=True)


class ProductCreate(ProductFields):
    """A product with its id: the body of a create and the product of a bulk upsert line."""

    id: ProductId


class ProductReplace(ProductFields):
    """The body of a PUT: the id comes from the path; if the body repeats it, they must agree."""

    id: ProductId | None = None


class Product(ProductCreate):
    """A stored product as the write API returns it, with its server-managed fields."""

    model_config = ConfigDict(extra="forbid")

    version: int
    created_at: datetime
    updated_at: datetime


class BulkUpsert(BaseModel):
    """A bulk line that creates or replaces one product."""

    model_config = ConfigDict(extra="forbid")

    op: Literal["upsert"]
    product: ProductCreate


class BulkDelete(BaseModel):
    """A bulk line that deletes one product."""

    model_config = ConfigDict(extra="forbid")

    op: Literal["delete"]
    id: ProductId


BulkLine = Annotated[BulkUpsert | BulkDelete, Field(discriminator="op")]
