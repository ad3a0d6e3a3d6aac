"""Content (documents/content.py) to bytes: PDF through WeasyPrint, DOCX through python-docx.

Both walk the same blocks, so the DOCX a legal team edits says exactly what the PDF says. The
PDF's page furniture (marking, reference, page x of y) is CSS paged media in the template.
WeasyPrint needs Debian's pango libraries (the Makefile installs them).
"""

from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

from safeguard.documents.content import (
    Block,
    Content,
    Fields,
    Heading,
    Items,
    Para,
    Signature,
    Table,
    Warning,
)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "documents" / "pdf"


def _kind(block: Block) -> str:
    return type(block).__name__.lower()


def html(content: Content) -> str:
    css = (TEMPLATES / "document.css").read_text()
    blocks = [(_kind(b), b) for b in content.blocks]
    return render_to_string(
        "documents/pdf/document.html", {"content": content, "blocks": blocks, "css": css}
    )


def pdf(content: Content) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango, which pages never need

    return HTML(string=html(content), base_url=str(TEMPLATES)).write_pdf()


def docx(content: Content) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{content.marking}    {content.reference}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = content.footer

    doc.add_paragraph(content.audience).runs[0].italic = True
    doc.add_heading(content.title, level=0)
    doc.add_paragraph(content.subtitle)
    for block in content.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Para):
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(block.text)
            run.bold = block.style in ("strong", "lead")
            if block.style == "small":
                run.font.size = Pt(9)
        elif isinstance(block, Items):
            for item in block.items:
                doc.add_paragraph(item, style="List Number" if block.numbered else "List Bullet")
        elif isinstance(block, Fields):
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in block.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
                cells[0].paragraphs[0].runs[0].bold = True
        elif isinstance(block, Table):
            table = doc.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        elif isinstance(block, Warning):
            doc.add_paragraph().add_run(block.title).bold = True
            for line in block.lines:
                doc.add_paragraph(line).runs[0].bold = True
        elif isinstance(block, Signature):
            for line in block.lines:
                doc.add_paragraph(f"{line} ______________________________")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page by page (tests, and the document page's check)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
