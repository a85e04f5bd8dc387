/**
 * What a resident can do with the 一图看 picture besides looking at it. Alipay (this file): look
 * only — the picture is SVG, which a photo album does not take. WeChat saves a PNG to the album
 * when the server offers one (`card-actions.weapp.tsx`); H5 links to the picture
 * (`card-actions.h5.tsx`), which the browser opens and saves.
 */
export function CardActions(_props: { id: string; title: string }) {
  return null
}
