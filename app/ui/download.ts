/**
 * Offers a file to the rider: the File System Access API's save dialog where the browser has
 * it (the rider picks the folder), a plain download elsewhere.
 */
interface SavePicker {
  showSaveFilePicker(options: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }):
    Promise<{ createWritable(): Promise<{ write(data: Blob): Promise<void>; close(): Promise<void> }> }>;
}

export async function offerFile(name: string, text: string, mime = 'application/gpx+xml'): Promise<void> {
  const blob = new Blob([text], { type: mime });
  const picker = (window as unknown as Partial<SavePicker>).showSaveFilePicker;
  if (picker) {
    try {
      const handle = await picker.call(window, { suggestedName: name, types: [{ description: 'GPX ride', accept: { [mime]: ['.gpx'] } }] });
      const out = await handle.createWritable();
      await out.write(blob);
      await out.close();
      return;
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return; // the rider closed the dialog
      // Anything else (no user activation, a policy): fall back to a download.
    }
  }
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
