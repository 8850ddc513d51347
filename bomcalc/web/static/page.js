// The upload page's only script: drag and drop, a progress indicator, sorting and filtering of
// the results, and answers swapped in place so that the chosen files stay on the page for the
// what-if panel and the downloads. Without it the page still works: every button posts the form.
"use strict";

function setUpDrop() {
  const zone = document.getElementById("drop");
  const input = document.getElementById("bom");
  if (!zone || !input) return;
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });
}

function sortBy(table, column, numeric) {
  const body = table.tBodies[0];
  const ascending = table.dataset.sortColumn !== String(column) || table.dataset.sortOrder !== "asc";
  const key = (row) => {
    const cell = row.cells[column];
    if (!numeric) return cell.textContent.trim().toLowerCase();
    const value = parseFloat(cell.dataset.value);
    return Number.isNaN(value) ? -Infinity : value;
  };
  const rows = Array.from(body.rows).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
  });
  rows.forEach((row) => body.appendChild(row));
  table.dataset.sortColumn = String(column);
  table.dataset.sortOrder = ascending ? "asc" : "desc";
}

function setUpResults() {
  const table = document.getElementById("items");
  if (!table) return;
  Array.from(table.tHead.rows[0].cells).forEach((cell, column) => {
    if (!cell.dataset.sort) return;
    cell.classList.add("sort");
    cell.addEventListener("click", () => sortBy(table, column, cell.dataset.sort === "number"));
  });
  const text = document.getElementById("filter");
  const status = document.getElementById("status-filter");
  const filter = () => {
    const wanted = text.value.trim().toLowerCase();
    Array.from(table.tBodies[0].rows).forEach((row) => {
      const shown = (!status.value || row.dataset.status === status.value)
        && (!wanted || row.textContent.toLowerCase().includes(wanted));
      row.hidden = !shown;
    });
  };
  text.addEventListener("input", filter);
  status.addEventListener("change", filter);
  document.querySelectorAll(".explain-link").forEach((link) => link.addEventListener("click", (event) => {
    const target = document.getElementById(link.dataset.target);
    if (!target) return;
    event.preventDefault();
    target.open = true;
    target.scrollIntoView({ block: "start" });
  }));
}

async function submitInPlace(form, submitter) {
  const progress = document.getElementById("progress");
  const action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
  const buttons = document.querySelectorAll("button");
  progress.hidden = false;
  buttons.forEach((button) => { button.disabled = true; });
  try {
    const response = await fetch(action, { method: "POST", body: new FormData(form, submitter), credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const answer = page.getElementById("answer");
    document.getElementById("answer").replaceChildren(...(answer ? Array.from(answer.childNodes) : []));
    setUpResults();
    const first = document.getElementById(action === "/whatif" ? "whatif-result" : "answer");
    if (first) first.scrollIntoView({ block: "start" });
  } catch (error) {
    document.getElementById("answer").textContent = "The server did not answer: " + error;
  } finally {
    progress.hidden = true;
    buttons.forEach((button) => { button.disabled = false; });
  }
}

function setUpForm() {
  const form = document.getElementById("upload");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const action = (event.submitter && event.submitter.getAttribute("formaction")) || form.getAttribute("action");
    if (action.startsWith("/download/")) return; // a file: the browser saves it and stays on the page
    event.preventDefault();
    submitInPlace(form, event.submitter);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpDrop();
  setUpForm();
  setUpResults();
});
