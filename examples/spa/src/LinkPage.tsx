import type { ReactNode } from "react";

/** The frame of the pages mailed links open: a title and a way back to the app. */
export function LinkPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="signed-out">
      <h1>Latchkey</h1>
      <section className="card" aria-labelledby="link-page-heading">
        <h2 id="link-page-heading">{title}</h2>
        {children}
      </section>
    </main>
  );
}
