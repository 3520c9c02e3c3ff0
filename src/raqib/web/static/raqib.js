// Raqib: small progressive enhancement. Every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkboxes for the alert queue.
  document.querySelectorAll("input[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      const name = box.getAttribute("data-select-all");
      box.closest("form").querySelectorAll(`input[name="${name}"]`).forEach((item) => { item.checked = box.checked; });
    });
  });
  // Disable the submit button while a slow form (screening, payments) is being answered.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = form.getAttribute("data-busy"); }
    });
  });
  // Sortable tables: click a header to sort by that column (numbers by data-value when present).
  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    const heads = table.querySelectorAll("thead th");
    heads.forEach((th, index) => {
      if (!th.textContent.trim()) return;
      th.setAttribute("data-sort", "");
      th.tabIndex = 0;
      const sort = () => {
        const body = table.tBodies[0];
        const rows = Array.from(body.rows).filter((r) => r.cells.length > index);
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = (row) => {
          const cell = row.cells[index];
          const value = cell.getAttribute("data-value") ?? cell.textContent.trim();
          const number = parseFloat(value);
          return Number.isNaN(number) ? value : number;
        };
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
    });
  });
});
