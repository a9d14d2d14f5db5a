"""Reading Chinese official text: normalisation, numerals and labels, lines, documents (.txt,
.docx). Pure helpers shared by every importer (the profile importer, the plan importer)."""
