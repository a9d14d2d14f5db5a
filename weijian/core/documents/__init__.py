"""公文 (official documents) as .docx and .pdf, laid out as RULES.md "Documents" says (after GB/T
9704-2012): A4, margins 37/35/28/26 mm, body 3号 on a grid of 22 lines × 28 characters, title
2号, headings 一、（一）1.（1）, dates unpadded, the 落款 right and the 抄送 line at the end.

Describe the document with `model` (Document, Heading, Paragraph, Table) and write it with
`docx_bytes` or `pdf_bytes`; fonts come from settings (`fonts`). Notices, minutes and other
generated documents share this writer."""

from weijian.core.documents.docx_writer import docx_bytes
from weijian.core.documents.fonts import FontError
from weijian.core.documents.model import Document, Heading, Paragraph, Table
from weijian.core.documents.pdf_writer import pdf_bytes

__all__ = ["Document", "FontError", "Heading", "Paragraph", "Table", "docx_bytes", "pdf_bytes"]
